/*
 * tc_ipip_encap.bpf.c - tc egress IP-in-IP encapsulation toward a remote tunnel
 * endpoint: makes room for the outer header with bpf_skb_adjust_room, builds the
 * outer IPv4 header on the stack with a checksum from bpf_csum_diff and writes it
 * with bpf_skb_store_bytes.  Models helpers that resize the packet and a large header
 * built on the stack.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct tunnel {
	__u32 local;
	__u32 remote;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct tunnel);
} tunnels SEC(".maps");

static __always_inline __u16 fold(__s64 csum)
{
	__u32 s = (__u32)csum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

SEC("tc")
__success
int tc_encap(struct __sk_buff *skb)
{
	struct iphdr inner, outer = {};
	struct tunnel *t;
	__s64 csum;
	__u32 daddr;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &inner, sizeof(inner)))
		return TC_ACT_OK;
	daddr = inner.daddr;
	t = bpf_map_lookup_elem(&tunnels, &daddr);
	if (!t)
		return TC_ACT_OK;
	outer.version = 4;
	outer.ihl = 5;
	outer.ttl = 64;
	outer.protocol = IPPROTO_IPIP;
	outer.tot_len = bpf_htons(bpf_ntohs(inner.tot_len) + sizeof(outer));
	outer.saddr = t->local;
	outer.daddr = t->remote;
	csum = bpf_csum_diff(0, 0, (__be32 *)&outer, sizeof(outer), 0);
	if (csum < 0)
		return TC_ACT_SHOT;
	outer.check = fold(csum);
	if (bpf_skb_adjust_room(skb, sizeof(outer), BPF_ADJ_ROOM_MAC,
				BPF_F_ADJ_ROOM_ENCAP_L3_IPV4))
		return TC_ACT_SHOT;
	if (bpf_skb_store_bytes(skb, ETH_HLEN, &outer, sizeof(outer), 0))
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
