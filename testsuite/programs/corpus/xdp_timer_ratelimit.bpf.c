/*
 * xdp_timer_ratelimit.bpf.c - an XDP rate limiter whose per-interface budget is refilled
 * by a bpf_timer instead of by reading the clock on every packet: the first packet
 * arms the timer, the callback refills the budget and re-arms itself.  Models async
 * timer callbacks (map, key and value arguments, return 0) verified as their own states.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define CLOCK_MONOTONIC 1
#define REFILL_NS       100000000ULL /* 100 ms */
#define BUDGET          10000

struct bucket {
	struct bpf_timer refill;
	__u64 tokens;
	__u64 dropped;
	__u32 armed;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct bucket);
} buckets SEC(".maps");

static int refill_bucket(void *map, __u32 *key, struct bucket *b)
{
	b->tokens = BUDGET;
	bpf_timer_start(&b->refill, REFILL_NS, 0);
	return 0;
}

SEC("xdp")
__success
int xdp_ratelimit(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex & 63;
	struct bucket *b = bpf_map_lookup_elem(&buckets, &key);

	if (!b)
		return XDP_PASS;
	if (!b->armed) {
		b->armed = 1;
		b->tokens = BUDGET;
		bpf_timer_init(&b->refill, &buckets, CLOCK_MONOTONIC);
		bpf_timer_set_callback(&b->refill, refill_bucket);
		bpf_timer_start(&b->refill, REFILL_NS, 0);
	}
	if (b->tokens == 0) {
		__sync_fetch_and_add(&b->dropped, 1);
		return XDP_DROP;
	}
	__sync_fetch_and_add(&b->tokens, -1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
