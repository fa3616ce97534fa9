/*
 * tc_dscp_mark.bpf.c - tc egress classifier that rewrites the IPv4 DSCP field for
 * traffic of chosen cgroups: reads the header with bpf_skb_load_bytes, writes the TOS
 * byte back with bpf_skb_store_bytes and patches the checksum with bpf_l3_csum_replace.
 * Models the skb helpers' stack-buffer arguments and constant offsets.
 */
// bpfcc-flags: -Os -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define IP_OFF ETH_HLEN
#define TOS_OFF (IP_OFF + __builtin_offsetof(struct iphdr, tos))
#define CSUM_OFF (IP_OFF + __builtin_offsetof(struct iphdr, check))

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, __u8);
} cgroup_dscp SEC(".maps");

SEC("tc")
__success
int tc_mark_dscp(struct __sk_buff *skb)
{
	__u64 cgid = bpf_skb_cgroup_id(skb);
	struct iphdr iph;
	__u8 *dscp, new_tos;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	dscp = bpf_map_lookup_elem(&cgroup_dscp, &cgid);
	if (!dscp)
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, IP_OFF, &iph, sizeof(iph)) < 0)
		return TC_ACT_OK;
	new_tos = (*dscp << 2) | (iph.tos & 0x3);
	if (new_tos == iph.tos)
		return TC_ACT_OK;
	bpf_l3_csum_replace(skb, CSUM_OFF, bpf_htons(iph.tos), bpf_htons(new_tos), 2);
	bpf_skb_store_bytes(skb, TOS_OFF, &new_tos, sizeof(new_tos), 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
