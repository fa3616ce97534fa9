/*
 * ksym_var_type.bpf.c - check test object: a typed __ksym variable declared with a type
 * that is not the kernel's (bpf_prog_active is a per-CPU int, declared here as a struct).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct prog_active {
	int depth;
};

extern const struct prog_active bpf_prog_active __ksym;

int depth;

SEC("tp_btf/sched_switch")
int read_active(void *ctx)
{
	const struct prog_active *a = bpf_this_cpu_ptr(&bpf_prog_active);

	depth = a->depth;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
