/*
 * bug_tracepoint_copy_from_user.bpf.c - an openat tracer that copies the path with
 * bpf_copy_from_user(), the helper sleepable programs use to fault user pages in.  A
 * tracepoint program runs with preemption off and cannot sleep: the kernel refuses the
 * call (bpf_probe_read_user_str() is the helper for this context).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct sys_enter_openat {
	unsigned long long common;
	int nr;
	long dfd;
	const char *filename;
	long flags;
	long mode;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} paths SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
__failure __msg("helper call might sleep in a non-sleepable prog") __at_line(32)
int trace_openat(struct sys_enter_openat *ctx)
{
	char path[128];

	if (bpf_copy_from_user(path, sizeof(path), ctx->filename))
		return 0;
	bpf_ringbuf_output(&paths, path, sizeof(path), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
