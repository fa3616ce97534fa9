/*
 * iter_tasks.bpf.c - a task iterator in the style of bpftool's pids/ program: for each
 * task it prints pid, comm and the number of open files through bpf_seq_printf.
 * Models the iterator context (task may be NULL at the end) and BTF pointer walks.
 */
// bpfcc-flags: -O2 -g
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
	static const char header[] = "  pid  tgid comm\n";

	if (!task) {
		BPF_SEQ_PRINTF(seq, "end after %llu tasks\n", ctx->meta->seq_num);
		return 0;
	}
	if (ctx->meta->seq_num == 0)
		bpf_seq_write(seq, header, sizeof(header) - 1);
	BPF_SEQ_PRINTF(seq, "%5d %5d %s\n", task->pid, task->tgid, task->comm);
	return 0;
}

SEC("iter/task_file")
__success
int dump_task_files(struct bpf_iter__task_file *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;

	if (!task || !file)
		return 0;
	if (task->tgid != task->pid)
		return 0;
	BPF_SEQ_PRINTF(seq, "%d fd %u mode %x\n", task->tgid, ctx->fd, file->f_mode);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
