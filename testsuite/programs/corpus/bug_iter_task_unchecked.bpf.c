/*
 * bug_iter_task_unchecked.bpf.c - dumps "pid ppid comm" for every task through a task
 * iterator (bpftool iter pin, then cat).  The draft reads ctx->task straight away: the
 * iterator calls the program one last time with task NULL (the end of the walk), so the
 * kernel insists on a NULL test before the pointer is used (here the address of its comm
 * is computed first).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

SEC("iter/task")
__failure __msg("pointer arithmetic on trusted_ptr_or_null_ prohibited, null-check it first")
__at_line(20)
int dump_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	u64 args[3];

	args[0] = task->tgid;
	args[1] = task->real_parent->tgid;
	args[2] = (u64)task->comm;
	bpf_seq_printf(seq, "%d %d %s\n", 10, args, sizeof(args));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
