/*
 * global_funcs.bpf.c - global (non-static) BPF functions, verified once on their own
 * against their BTF prototype: a packet parser taking the context, a checksum helper
 * taking a scalar, and static bpf-to-bpf calls between them.  Models the verifier's
 * separate check of global subprograms (arguments assumed unknown, ctx checked by
 * type) and the caller seeing only the declared return type.
 */
// bpfcc-flags: -O2 -g -mcpu=v4
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} ttl_hist SEC(".maps");

__noinline int parse_ttl(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(iph + 1) > data_end)
		return -1;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return -1;
	return iph->ttl;
}

__noinline int ttl_bucket(int ttl)
{
	if (ttl < 0)
		return 0;
	return (ttl >> 2) & 63;
}

static __noinline void bump(__u32 slot)
{
	__u64 *c = bpf_map_lookup_elem(&ttl_hist, &slot);

	if (c)
		__sync_fetch_and_add(c, 1);
}

SEC("xdp")
__success
int xdp_ttl_hist(struct xdp_md *ctx)
{
	int ttl = parse_ttl(ctx);

	if (ttl < 0)
		return XDP_PASS;
	bump(ttl_bucket(ttl));
	return ttl <= 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
