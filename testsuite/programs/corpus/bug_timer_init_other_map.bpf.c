/*
 * bug_timer_init_other_map.bpf.c - per-flow garbage collection with bpf_timer in XDP: the
 * IPv6 flow table was added by copying the IPv4 code, and the timer of an IPv6 entry is
 * still initialised with the IPv4 map.  bpf_timer_init must be given the map whose value
 * holds the timer; the kernel compares the two while checking the arguments.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define CLOCK_MONOTONIC 1

struct flow {
	__u64 packets;
	struct bpf_timer gc;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct flow);
} flows_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct flow);
} flows_v6 SEC(".maps");

static int flow_gc(void *map, __u32 *key, struct flow *f)
{
	bpf_map_delete_elem(map, key);
	return 0;
}

static __always_inline int track(void *map, void *timer_map, __u32 key)
{
	struct flow init = {}, *f;

	f = bpf_map_lookup_elem(map, &key);
	if (f) {
		__sync_fetch_and_add(&f->packets, 1);
		return XDP_PASS;
	}
	bpf_map_update_elem(map, &key, &init, BPF_NOEXIST);
	f = bpf_map_lookup_elem(map, &key);
	if (!f)
		return XDP_PASS;
	bpf_timer_init(&f->gc, timer_map, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&f->gc, flow_gc);
	bpf_timer_start(&f->gc, 60ull * 1000000000, 0);
	return XDP_PASS;
}

SEC("xdp")
__failure __msg("timer pointer in R1 map_uid=0 doesn't match map pointer in R2 map_uid=0")
__at_line(52)
int flow_gc_v6(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;

	if (ctx->ingress_ifindex & 1)
		return track(&flows_v4, &flows_v4, key);
	return track(&flows_v6, &flows_v4, key);
}

char LICENSE[] SEC("license") = "GPL";
