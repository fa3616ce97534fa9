/*
 * tc_vlan_pull.bpf.c - tc egress that tags untagged traffic of a chosen priority with a
 * VLAN (bpf_skb_vlan_push) and, on ingress, pulls non-linear packets into the linear
 * area with bpf_skb_pull_data before parsing them by direct access.  Models the helpers
 * that change packet data (pointers re-read from the context afterwards).
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

const volatile __u16 vlan_id = 100;
const volatile __u32 tag_priority = 6;

SEC("tc")
__success
int tc_tag_vlan(struct __sk_buff *skb)
{
	if (skb->vlan_present || skb->priority != tag_priority)
		return TC_ACT_OK;
	if (bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), vlan_id | (tag_priority << 13)))
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

SEC("tc")
__success
int tc_pull_parse(struct __sk_buff *skb)
{
	void *data, *data_end;
	struct iphdr *iph;
	__u32 need = ETH_HLEN + sizeof(*iph);

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	if (data + need > data_end && bpf_skb_pull_data(skb, need))
		return TC_ACT_OK;
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	iph = data + ETH_HLEN;
	if ((void *)(iph + 1) > data_end)
		return TC_ACT_OK;
	if (iph->ttl == 1)
		skb->mark = 0xdead;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
