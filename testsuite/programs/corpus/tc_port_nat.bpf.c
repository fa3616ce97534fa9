/*
 * tc_port_nat.bpf.c - tc ingress port translation: direct packet access for the
 * lookup, then bpf_l4_csum_replace and bpf_skb_store_bytes to rewrite the TCP/UDP
 * destination port, re-deriving packet pointers after the helpers change the packet.
 * Models packet pointers invalidated by helpers that may move skb data.
 */
// bpfcc-flags: -O2 -g
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct port_key {
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, struct port_key);
	__type(value, __u16);
} port_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} rewritten SEC(".maps");

SEC("tc")
__success
int tc_nat_ingress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph;
	struct port_key k = {};
	__u16 *newp, oldp;
	__u32 l4_off, csum_off, zero = 0;
	__u64 *cnt;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end || iph->ihl != 5)
		return TC_ACT_OK;
	l4_off = ETH_HLEN + sizeof(*iph);
	if (iph->protocol == IPPROTO_TCP) {
		struct tcphdr *th = (void *)(iph + 1);

		if ((void *)(th + 1) > data_end)
			return TC_ACT_OK;
		oldp = th->dest;
		csum_off = l4_off + __builtin_offsetof(struct tcphdr, check);
	} else if (iph->protocol == IPPROTO_UDP) {
		struct udphdr *uh = (void *)(iph + 1);

		if ((void *)(uh + 1) > data_end)
			return TC_ACT_OK;
		oldp = uh->dest;
		csum_off = l4_off + __builtin_offsetof(struct udphdr, check);
	} else {
		return TC_ACT_OK;
	}
	k.port = oldp;
	k.proto = iph->protocol;
	newp = bpf_map_lookup_elem(&port_map, &k);
	if (!newp)
		return TC_ACT_OK;
	bpf_l4_csum_replace(skb, csum_off, oldp, *newp, sizeof(*newp));
	bpf_skb_store_bytes(skb, l4_off + 2, newp, sizeof(*newp), 0);
	/* the helpers may have moved the data: reload before touching the packet again */
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	if (data + ETH_HLEN + sizeof(struct iphdr) > data_end)
		return TC_ACT_SHOT;
	cnt = bpf_map_lookup_elem(&rewritten, &zero);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
