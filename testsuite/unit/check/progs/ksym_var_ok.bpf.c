/*
 * ksym_var_ok.bpf.c - check test object: typed __ksym variables declared with the kernel's
 * types (a per-CPU int read through bpf_this_cpu_ptr), and a weak one the kernel lacks.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern const int bpf_prog_active __ksym;
extern const int bpfcc_no_such_counter __ksym __weak;

int depth;

SEC("tp_btf/sched_switch")
int read_active(void *ctx)
{
	const int *a = bpf_this_cpu_ptr(&bpf_prog_active);

	depth = *a + (&bpfcc_no_such_counter ? 1 : 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
