/*
 * bug_array_lookup_var_key.bpf.c - per-RX-queue packet counters in an array map, read
 * without a NULL check on the belief that array lookups never fail.  The kernel only
 * drops the check for a constant key it can prove in range; the queue index comes from
 * the context, so the result may be NULL and the dereference is refused.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define MAX_QUEUES 64

struct queue_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_QUEUES);
	__type(key, __u32);
	__type(value, struct queue_stats);
} qstats SEC(".maps");

SEC("xdp")
__failure __msg("R0 invalid mem access 'map_value_or_null'") __at_line(33)
int xdp_queue_stats(struct xdp_md *ctx)
{
	__u32 q = ctx->rx_queue_index;
	struct queue_stats *st = bpf_map_lookup_elem(&qstats, &q);

	st->packets++;
	st->bytes += ctx->data_end - ctx->data;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
