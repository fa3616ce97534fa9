/*
 * inner_map_value.bpf.c - a lookup in a map of maps gives, once NULL-checked, the inner map
 * (the kernel's CONST_PTR_TO_MAP of the inner_map_meta libbpf builds from the BTF `values`
 * definition); a lookup in that gives values bounded by the inner map's value size.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct counters {
	__u64 packets;
	__u64 bytes;
};

struct per_queue {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct counters);
} queue0 SEC(".maps"), queue1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct per_queue);
} queues SEC(".maps") = {
	.values = {&queue0, &queue1},
};

struct per_flow {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u32);
} flows0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct per_flow);
} tenants SEC(".maps") = {
	.values = {&flows0},
};

SEC("xdp")
__success
int count_queue(struct xdp_md *ctx)
{
	__u32 q = ctx->rx_queue_index & 1, slot = ctx->ingress_ifindex & 7;
	struct counters *c;
	void *inner;

	inner = bpf_map_lookup_elem(&queues, &q);
	if (!inner)
		return XDP_PASS;
	c = bpf_map_lookup_elem(inner, &slot);
	if (!c)
		return XDP_PASS;
	__sync_fetch_and_add(&c->packets, 1);
	__sync_fetch_and_add(&c->bytes, ctx->data_end - ctx->data);
	return XDP_PASS;
}

SEC("xdp")
__failure __msg("invalid access to map value, value_size=16 off=16 size=8") __at_line(82)
int count_past_value(struct xdp_md *ctx)
{
	__u32 q = ctx->rx_queue_index & 1, slot = ctx->ingress_ifindex & 7;
	struct counters *c;
	void *inner;

	inner = bpf_map_lookup_elem(&queues, &q);
	if (!inner)
		return XDP_PASS;
	c = bpf_map_lookup_elem(inner, &slot);
	if (!c)
		return XDP_PASS;
	/* one struct too far: the inner value holds one struct counters */
	__sync_fetch_and_add(&c[1].packets, 1);
	return XDP_PASS;
}

SEC("xdp")
__success
int inner_value_const_key(struct xdp_md *ctx)
{
	__u32 q = 0, slot = 3;
	struct counters *c;
	void *inner;

	inner = bpf_map_lookup_elem(&queues, &q);
	if (!inner)
		return XDP_PASS;
	c = bpf_map_lookup_elem(inner, &slot);
	/* a constant key below the inner array's max_entries: never NULL, as for a plain
	 * array (the kernel's inner_map_meta keeps the template's max_entries) */
	c->packets++;
	return XDP_PASS;
}

SEC("xdp")
__failure __msg("R0 invalid mem access 'map_value_or_null'") __at_line(117)
int inner_value_key_past_end(struct xdp_md *ctx)
{
	__u32 q = 0, slot = 8;
	struct counters *c;
	void *inner;

	inner = bpf_map_lookup_elem(&queues, &q);
	if (!inner)
		return XDP_PASS;
	c = bpf_map_lookup_elem(inner, &slot);
	/* key 8 of an 8-entry inner array: the lookup returns NULL */
	c->packets++;
	return XDP_PASS;
}

SEC("xdp")
__failure __msg("invalid access to map value, value_size=4 off=4 size=4") __at_line(135)
int tenant_flow_past_value(struct xdp_md *ctx)
{
	__u32 tenant = ctx->ingress_ifindex & 3, flow = ctx->rx_queue_index;
	__u32 *v;
	void *inner;

	inner = bpf_map_lookup_elem(&tenants, &tenant);
	if (!inner)
		return XDP_PASS;
	v = bpf_map_lookup_elem(inner, &flow);
	if (!v)
		return XDP_PASS;
	v[1] = 1;
	return XDP_PASS;
}

SEC("xdp")
__success
int tenant_flow(struct xdp_md *ctx)
{
	__u32 tenant = ctx->ingress_ifindex & 3, flow = ctx->rx_queue_index, one = 1;
	__u32 *v;
	void *inner;

	inner = bpf_map_lookup_elem(&tenants, &tenant);
	if (!inner)
		return XDP_PASS;
	v = bpf_map_lookup_elem(inner, &flow);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(inner, &flow, &one, BPF_NOEXIST);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
