/*
 * core_missing.bpf.c - check test object: CO-RE reads of task_struct fields, one of which
 * no kernel has.
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
	int pid = BPF_CORE_READ(t, pid);
	int x = BPF_CORE_READ(t, no_such_field); /* UNRESOLVED */

	return pid + x;
}

char LICENSE[] SEC("license") = "GPL";
