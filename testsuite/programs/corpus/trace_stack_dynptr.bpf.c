/*
 * trace_stack_dynptr.bpf.c - an off-CPU event tracer: takes the kernel stack with
 * bpf_get_stack into a ring buffer record reserved through a dynptr
 * (bpf_ringbuf_reserve_dynptr / bpf_dynptr_write / bpf_ringbuf_submit_dynptr), and a
 * second program formats a summary line with bpf_snprintf.  Models dynptr reference
 * handling (discard on failure paths too) and helper sizes taken from return values.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

#define MAX_FRAMES 32

struct stack_rec {
	u32 pid;
	u32 nframes;
	u64 ips[MAX_FRAMES];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} stacks_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct stack_rec);
} stack_tmp SEC(".maps");

SEC("tp_btf/sched_switch")
__success
int BPF_PROG(offcpu_stack, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct bpf_dynptr ptr;
	struct stack_rec *r;
	u32 zero = 0;
	long len;

	if (preempt || prev->pid == 0)
		return 0;
	r = bpf_map_lookup_elem(&stack_tmp, &zero);
	if (!r)
		return 0;
	len = bpf_get_stack(ctx, r->ips, sizeof(r->ips), 0);
	if (len <= 0)
		return 0;
	r->pid = prev->pid;
	r->nframes = len / sizeof(u64);
	if (bpf_ringbuf_reserve_dynptr(&stacks_rb, sizeof(*r), 0, &ptr)) {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
		return 0;
	}
	if (bpf_dynptr_write(&ptr, 0, r, sizeof(*r), 0)) {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
		return 0;
	}
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

SEC("tp_btf/sched_process_exit")
__success
int BPF_PROG(exit_summary, struct task_struct *p)
{
	static const char fmt[] = "pid %d comm %s prio %d";
	u64 args[3];
	char line[64];

	args[0] = p->pid;
	args[1] = (u64)p->comm;
	args[2] = p->prio;
	if (bpf_snprintf(line, sizeof(line), fmt, args, sizeof(args)) > 0)
		bpf_printk("%s", line);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
