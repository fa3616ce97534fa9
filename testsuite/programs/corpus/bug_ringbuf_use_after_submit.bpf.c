/*
 * bug_ringbuf_use_after_submit.bpf.c - a tracer that submits its ring buffer record
 * and then fills in one more field.  Submitting releases the reservation: the kernel
 * invalidates the pointer at the call and refuses the store through it.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct fork_rec {
	__u32 parent;
	__u32 child;
	__u64 ts;
};

struct sched_fork_args {
	unsigned long long common;
	char parent_comm[16];
	int parent_pid;
	char child_comm[16];
	int child_pid;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} forks SEC(".maps");

SEC("tracepoint/sched/sched_process_fork")
__failure __msg("invalid mem access 'scalar'") __at_line(41)
int on_fork(struct sched_fork_args *ctx)
{
	struct fork_rec *r = bpf_ringbuf_reserve(&forks, sizeof(*r), 0);

	if (!r)
		return 0;
	r->parent = ctx->parent_pid;
	r->child = ctx->child_pid;
	bpf_ringbuf_submit(r, 0);
	r->ts = bpf_ktime_get_ns();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
