/*
 * tc_pull_reload.bpf.c - marks DNS queries; headers that are not in the linear area are
 * pulled in with bpf_skb_pull_data, after which both data and data_end are read again
 * from the context (the helper moves the packet) and the bounds are checked again.  A
 * second program keeps a pointer in a register across a helper that leaves the packet
 * alone (bpf_get_prandom_u32), which the kernel allows.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define HDRS (ETH_HLEN + sizeof(struct iphdr) + sizeof(struct udphdr))

const volatile __u16 dns_port = 53;
const volatile __u32 sample_every = 64;

SEC("tc")
__success
int tc_mark_dns(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *iph;
	struct udphdr *uh;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (data + HDRS > data_end) {
		if (bpf_skb_pull_data(skb, HDRS))
			return TC_ACT_OK;
		data = (void *)(long)skb->data;
		data_end = (void *)(long)skb->data_end;
	}
	iph = data + ETH_HLEN;
	uh = (void *)(iph + 1);
	if ((void *)(uh + 1) > data_end)
		return TC_ACT_OK;
	if (iph->protocol == IPPROTO_UDP && uh->dest == bpf_htons(dns_port))
		skb->mark = 53;
	return TC_ACT_OK;
}

SEC("tc")
__success
int tc_sample_ttl(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *iph = data + ETH_HLEN;

	if ((void *)(iph + 1) > data_end)
		return TC_ACT_OK;
	if (bpf_get_prandom_u32() % sample_every)
		return TC_ACT_OK;
	skb->mark = iph->ttl;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
