/*
 * trace_exit_codes.bpf.c - process exit accounting: the sched_process_exit tracepoint
 * reads the exiting task's exit code and lifetime through CO-RE, keeps a histogram of
 * exit signals and reports short-lived processes through the ring buffer with
 * bpf_ringbuf_output.  Models tracepoint contexts from vmlinux.h, 64-bit arithmetic
 * on CO-RE reads and a signal number clamped into an array map's range.
 */
// bpfcc-flags: -O2 -g -mcpu=v4
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpfcc/expect.h>

#define NSIG 65

struct exit_event {
	u32 pid;
	u32 ppid;
	int exit_code;
	u32 sig;
	u64 lifetime_ns;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NSIG);
	__type(key, u32);
	__type(value, u64);
} by_signal SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 128 * 1024);
} short_lived SEC(".maps");

const volatile u64 min_lifetime_ns = 10 * 1000 * 1000;

SEC("tracepoint/sched/sched_process_exit")
__success
int on_exit(struct trace_event_raw_sched_process_template *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exit_event ev = {};
	u64 id = bpf_get_current_pid_tgid();
	u64 *cnt;

	if ((u32)id != (u32)(id >> 32))
		return 0;
	ev.pid = id >> 32;
	ev.ppid = BPF_CORE_READ(task, real_parent, tgid);
	ev.exit_code = BPF_CORE_READ(task, exit_code);
	ev.sig = ev.exit_code & 0x7f;
	if (ev.sig >= NSIG)
		ev.sig = 0;
	cnt = bpf_map_lookup_elem(&by_signal, &ev.sig);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	ev.lifetime_ns = bpf_ktime_get_ns() - BPF_CORE_READ(task, start_time);
	if (ev.lifetime_ns >= min_lifetime_ns)
		return 0;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	bpf_ringbuf_output(&short_lived, &ev, sizeof(ev), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
