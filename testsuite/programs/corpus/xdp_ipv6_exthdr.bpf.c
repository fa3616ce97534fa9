/*
 * xdp_ipv6_exthdr.bpf.c - walks IPv6 extension headers (hop-by-hop, routing,
 * destination options, fragment) up to a fixed depth to find the transport protocol,
 * as DDoS filters do.  Models a fully unrolled loop whose cursor grows by a
 * packet-derived length ((hdrlen + 1) * 8) and is re-checked every round.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define MAX_EXT_HDRS 6

struct ext_hdr {
	__u8 nexthdr;
	__u8 hdrlen;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} l4_proto_count SEC(".maps");

static __always_inline int skip_ext_hdrs(void **cursor, void *data_end, __u8 nexthdr)
{
#pragma unroll
	for (int i = 0; i < MAX_EXT_HDRS; i++) {
		struct ext_hdr *h = *cursor;

		if ((void *)(h + 1) > data_end)
			return -1;
		switch (nexthdr) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_DSTOPTS:
		case IPPROTO_ROUTING:
			*cursor = (void *)h + (h->hdrlen + 1) * 8;
			nexthdr = h->nexthdr;
			break;
		case IPPROTO_FRAGMENT:
			*cursor = (void *)h + 8;
			nexthdr = h->nexthdr;
			break;
		default:
			return nexthdr;
		}
	}
	return -1;
}

SEC("xdp")
__success
int xdp_l4_census(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6;
	void *cursor;
	__u32 proto;
	__u64 *cnt;
	int nh;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IPV6))
		return XDP_PASS;
	ip6 = (void *)(eth + 1);
	if ((void *)(ip6 + 1) > data_end)
		return XDP_PASS;
	cursor = ip6 + 1;
	nh = skip_ext_hdrs(&cursor, data_end, ip6->nexthdr);
	if (nh < 0)
		return XDP_DROP;
	proto = nh;
	cnt = bpf_map_lookup_elem(&l4_proto_count, &proto);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
