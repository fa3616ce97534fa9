/*
 * bug_stale_pkt_ptr.bpf.c - the first draft of tc_port_nat.bpf.c: after
 * bpf_l4_csum_replace/bpf_skb_store_bytes rewrote the port, the program reads the IPv4
 * header again through the pointer it computed before the calls.  Those helpers may
 * move the packet data, so the kernel invalidates every packet pointer at the call and
 * refuses the later load.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define L4_OFF (ETH_HLEN + sizeof(struct iphdr))

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, __u16);
	__type(value, __u16);
} port_map SEC(".maps");

SEC("tc")
__failure __msg("invalid mem access 'scalar'") __at_line(50)
/* bpfcc detects this since its packet-pointer rules (mem_pkt.c) */
int tc_rewrite_port(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct tcphdr *th = (void *)(iph + 1);
	__u16 *newp, oldp;

	if ((void *)(th + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || iph->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	oldp = th->dest;
	newp = bpf_map_lookup_elem(&port_map, &oldp);
	if (!newp)
		return TC_ACT_OK;
	bpf_l4_csum_replace(skb, L4_OFF + offsetof(struct tcphdr, check), oldp, *newp, 2);
	bpf_skb_store_bytes(skb, L4_OFF + offsetof(struct tcphdr, dest), newp, 2, 0);
	if (iph->ttl < 2)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
