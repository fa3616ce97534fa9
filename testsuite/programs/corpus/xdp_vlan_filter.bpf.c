/*
 * xdp_vlan_filter.bpf.c - drops frames of a blocked VLAN and ARP inside up to two
 * stacked 802.1Q/802.1AD tags; every tag is checked against data_end before its fields
 * are read (a bounded loop over tags, as XDP filters in the wild parse QinQ).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define MAX_TAGS 2

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} vlan_drops SEC(".maps");

const volatile __u16 blocked_vid = 42;

static __always_inline int is_vlan(__u16 proto)
{
	return proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD);
}

SEC("xdp")
__success
int xdp_vlan_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct vlan_hdr *vh = (void *)(eth + 1);
	__u32 key = 0;
	__u64 *cnt;
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	proto = eth->h_proto;
#pragma unroll
	for (int i = 0; i < MAX_TAGS; i++) {
		if (!is_vlan(proto))
			break;
		if ((void *)(vh + 1) > data_end)
			return XDP_PASS;
		if ((bpf_ntohs(vh->tci) & 0x0fff) == blocked_vid)
			goto drop;
		proto = vh->encap_proto;
		vh++;
	}
	if (proto != bpf_htons(ETH_P_ARP))
		return XDP_PASS;
	key = 1;
drop:
	cnt = bpf_map_lookup_elem(&vlan_drops, &key);
	if (cnt)
		*cnt += 1;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
