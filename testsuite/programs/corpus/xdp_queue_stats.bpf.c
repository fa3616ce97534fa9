/*
 * xdp_queue_stats.bpf.c - per-RX-queue packet counters: the queue's slot is NULL-checked
 * (its index comes from the context), while the totals slot is looked up with a constant
 * key, which the 6.18 kernel proves non-NULL for an array, so the program uses it
 * without a check.  Accepted.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define MAX_QUEUES 64
#define TOTALS     MAX_QUEUES

struct queue_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_QUEUES + 1);
	__type(key, __u32);
	__type(value, struct queue_stats);
} qstats SEC(".maps");

SEC("xdp")
__success
int xdp_queue_stats(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;
	__u32 q = ctx->rx_queue_index, all = TOTALS;
	struct queue_stats *st, *tot;

	tot = bpf_map_lookup_elem(&qstats, &all);
	tot->packets++;
	tot->bytes += len;
	if (q >= MAX_QUEUES)
		return XDP_PASS;
	st = bpf_map_lookup_elem(&qstats, &q);
	if (!st)
		return XDP_PASS;
	st->packets++;
	st->bytes += len;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
