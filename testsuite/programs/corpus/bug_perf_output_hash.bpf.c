/*
 * bug_perf_output_hash.bpf.c - an exec tracer that streams events to userspace with
 * bpf_perf_event_output, but the events map was declared by copying the hash map above
 * it and keeps BPF_MAP_TYPE_HASH.  bpf_perf_event_output writes into a perf buffer
 * (BPF_MAP_TYPE_PERF_EVENT_ARRAY) only: the kernel checks the helper against the map type
 * at the call and refuses it.
 */
// bpfcc-flags: -O2 -g
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct exec_event {
	__u32 pid;
	__u32 ppid;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} exec_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u32);
} events SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
__failure __msg("cannot pass map_type 1 into func bpf_perf_event_output#25") __at_line(50)
int trace_exec(void *ctx)
{
	struct exec_event ev = {};
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = (__u32)(id >> 32);
	__u64 one = 1, *cnt;

	cnt = bpf_map_lookup_elem(&exec_count, &pid);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&exec_count, &pid, &one, BPF_NOEXIST);
	ev.pid = pid;
	ev.ppid = 0;
	bpf_get_current_comm(ev.comm, sizeof(ev.comm));
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &ev, sizeof(ev));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
