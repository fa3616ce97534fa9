/*
 * core_guarded.bpf.c - check test object: a CO-RE read of a field the kernel lacks,
 * guarded by bpf_core_field_exists() (the poisoned instruction is dead on this kernel).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	int pid;
	int no_such_field;
} __attribute__((preserve_access_index));

SEC("kprobe/do_unlinkat")
int read_task(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	if (bpf_core_field_exists(t->no_such_field))
		return BPF_CORE_READ(t, no_such_field); /* GUARDED */
	return BPF_CORE_READ(t, pid);
}

char LICENSE[] SEC("license") = "GPL";
