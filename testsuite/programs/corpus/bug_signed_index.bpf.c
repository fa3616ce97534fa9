/*
 * bug_signed_index.bpf.c - per-queue statistics kept in an array inside one map value,
 * indexed by an int taken from the packet mark and checked only with `idx < 16`.  A
 * signed comparison leaves negative values possible, and the kernel refuses a map
 * value access whose offset may be negative.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct queue_stats {
	__u64 packets[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct queue_stats);
} qstats SEC(".maps");

SEC("tc")
__failure __msg("math between map_value pointer and register with unbounded min value is not allowed") __at_line(35)
int tc_queue_stats(struct __sk_buff *skb)
{
	int idx = (int)skb->mark;
	__u32 zero = 0;
	struct queue_stats *qs = bpf_map_lookup_elem(&qstats, &zero);

	if (!qs)
		return TC_ACT_OK;
	if (idx < 16)
		qs->packets[idx]++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
