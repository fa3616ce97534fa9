/*
 * trace_openat_ringbuf.bpf.c - openat events through a ring buffer, written with
 * bpf_ringbuf_output (a copy) and, for the slow path, reserved in place and submitted.
 * The corrected bug_ringbuf_as_perf: the ring buffer takes the bpf_ringbuf_* helpers.
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
__success
int trace_openat(struct sys_enter_openat *ctx)
{
	struct open_event ev = {}, *e;

	ev.ts = bpf_ktime_get_ns();
	ev.pid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	ev.flags = (__s32)ctx->flags;
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) < 4096) {
		bpf_ringbuf_output(&events, &ev, sizeof(ev), 0);
		return 0;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	*e = ev;
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
