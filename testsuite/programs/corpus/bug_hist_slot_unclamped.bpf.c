/*
 * bug_hist_slot_unclamped.bpf.c - a latency histogram whose log2 slot can reach 63
 * while the map value holds 20 slots; the author forgot the clamp.  The kernel
 * computes the slot's range and refuses the access that may fall outside the value.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define SLOTS 20

struct raw_sys_exit {
	unsigned long long common;
	long id;
	long ret;
};

struct hist {
	__u64 slots[SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} read_lat SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_read")
__success
int read_enter(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 ts = bpf_ktime_get_ns();

	bpf_map_update_elem(&start, &tid, &ts, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
__failure __msg("invalid access to map value, value_size=160 off={{[0-9]+}} size=8") __at_line(65)
int read_exit(struct raw_sys_exit *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	__u64 *tsp, delta, slot = 0;
	struct hist *h;

	tsp = bpf_map_lookup_elem(&start, &tid);
	if (!tsp)
		return 0;
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	bpf_map_delete_elem(&start, &tid);
	h = bpf_map_lookup_elem(&read_lat, &zero);
	if (!h)
		return 0;
	slot = delta ? 63 - __builtin_clzll(delta) : 0;
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
