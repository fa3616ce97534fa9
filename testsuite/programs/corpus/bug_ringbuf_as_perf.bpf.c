/*
 * bug_ringbuf_as_perf.bpf.c - a program ported from perf buffers to a ring buffer: the
 * map became BPF_MAP_TYPE_RINGBUF but the output call is still bpf_perf_event_output.
 * A ring buffer takes the bpf_ringbuf_* helpers only; the kernel refuses the pair at the
 * call ("cannot pass map_type 27": the ring buffer's type).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct open_event {
	__u64 ts;
	__u32 pid;
	__s32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct sys_enter_openat {
	unsigned long long common;
	long syscall_nr;
	long dfd;
	const char *filename;
	long flags;
	long mode;
};

SEC("tracepoint/syscalls/sys_enter_openat")
__failure __msg("cannot pass map_type 27 into func bpf_perf_event_output#25") __at_line(41)
int trace_openat(struct sys_enter_openat *ctx)
{
	struct open_event ev = {};

	ev.ts = bpf_ktime_get_ns();
	ev.pid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	ev.flags = (__s32)ctx->flags;
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &ev, sizeof(ev));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
