/*
 * tc_tail_dispatch_pkt.bpf.c - a tc classifier that tail-calls a per-protocol program
 * and, when the slot is empty (the tail call falls through), keeps using the IPv4
 * header pointer it validated before the call.  Linux 6.18 invalidates packet pointers
 * at tail calls made from subprograms only, so the direct tail call here is allowed.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u32);
} proto_progs SEC(".maps");

SEC("tc")
__success
int tc_dispatch(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	bpf_tail_call(skb, &proto_progs, iph->protocol);
	/* no program for this protocol: the default policy */
	if (iph->ttl <= 1)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
