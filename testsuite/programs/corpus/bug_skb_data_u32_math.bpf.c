/*
 * bug_skb_data_u32_math.bpf.c - the first draft of tc_vlan_pull.bpf.c's ingress
 * program: it tests whether the headers are linear with `skb->data + need >
 * skb->data_end` on the __u32 context fields instead of pointers cast through long.
 * clang zero-extends the 32-bit sum with shifts, and the kernel forbids shift
 * operators on a packet pointer.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("tc")
__failure __msg("pointer arithmetic with <<= operator prohibited") __at_line(28)
/* bpfcc detects this since its context and packet-pointer rules */
int tc_pull_parse(struct __sk_buff *skb)
{
	void *data, *data_end;
	struct iphdr *iph;
	__u32 need = ETH_HLEN + sizeof(*iph);

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (skb->data + need > skb->data_end && bpf_skb_pull_data(skb, need))
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
