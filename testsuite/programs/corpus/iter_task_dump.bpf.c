/*
 * iter_task_dump.bpf.c - dumps "pid ppid comm" for every task through a task iterator
 * (bpftool iter pin, then cat).  ctx->task is NULL on the last call, the end of the walk:
 * it is tested before use; meta and its seq_file are always there.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

SEC("iter/task")
__success
int dump_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	u64 args[3];

	if (!task)
		return 0;
	args[0] = task->tgid;
	args[1] = task->real_parent->tgid;
	args[2] = (u64)task->comm;
	bpf_seq_printf(seq, "%d %d %s\n", 10, args, sizeof(args));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
