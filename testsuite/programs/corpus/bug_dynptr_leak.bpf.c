/*
 * bug_dynptr_leak.bpf.c - a ring buffer record reserved through a dynptr and filled
 * with bpf_dynptr_write, returning early when the write fails without discarding the
 * reservation.  A dynptr over a reservation is a reference, and the kernel refuses an
 * exit that leaks it.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct raw_sys_enter {
	unsigned long long common;
	long id;
	unsigned long args[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} mmap_events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_mmap")
__failure __msg("BPF_EXIT instruction in main prog would lead to reference leak") __at_line(38)
int trace_mmap(struct raw_sys_enter *ctx)
{
	struct bpf_dynptr ptr;
	__u64 args[3] = {ctx->args[0], ctx->args[1], ctx->args[2]};

	if (bpf_ringbuf_reserve_dynptr(&mmap_events, sizeof(args), 0, &ptr)) {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
		return 0;
	}
	if (bpf_dynptr_write(&ptr, 0, args, sizeof(args), 0))
		return 0;
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
