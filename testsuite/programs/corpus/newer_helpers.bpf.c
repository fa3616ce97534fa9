/*
 * newer_helpers.bpf.c - helpers added in recent kernels, as up-to-date tools use them:
 * bpf_map_lookup_percpu_elem to sum a per-CPU counter from one CPU,
 * bpf_ktime_get_tai_ns and bpf_ktime_get_boot_ns for timestamps, bpf_get_current_ancestor
 * cgroup ids and bpf_get_ns_current_pid_tgid for the pid inside a namespace.  Models
 * helper availability per program type and their argument kinds.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define NCPU_SCAN 8

struct raw_sys_enter {
	unsigned long long common;
	long id;
	unsigned long args[6];
};

struct ts_rec {
	__u64 tai;
	__u64 boot;
	__u64 cgroup_parent;
	__u32 ns_pid;
	__u32 total;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} ts_events SEC(".maps");

const volatile __u64 pidns_dev = 0;
const volatile __u64 pidns_ino = 0;

SEC("tracepoint/syscalls/sys_enter_kill")
__success
int kill_stamp(struct raw_sys_enter *ctx)
{
	struct bpf_pidns_info ns = {};
	struct ts_rec r = {};
	__u32 zero = 0, *h;

	h = bpf_map_lookup_elem(&hits, &zero);
	if (h)
		*h += 1;
	for (__u32 cpu = 0; cpu < NCPU_SCAN; cpu++) {
		__u32 *v = bpf_map_lookup_percpu_elem(&hits, &zero, cpu);

		if (!v)
			break;
		r.total += *v;
	}
	r.tai = bpf_ktime_get_tai_ns();
	r.boot = bpf_ktime_get_boot_ns();
	r.cgroup_parent = bpf_get_current_ancestor_cgroup_id(1);
	if (pidns_ino && !bpf_get_ns_current_pid_tgid(pidns_dev, pidns_ino, &ns, sizeof(ns)))
		r.ns_pid = ns.tgid;
	bpf_ringbuf_output(&ts_events, &r, sizeof(r), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
