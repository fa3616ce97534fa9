/*
 * bug_global_pull_stale.bpf.c - a tc program factors the "make the headers linear"
 * step into a global function and keeps using the IPv4 header pointer it computed
 * before calling it.  Since Linux 6.13 the kernel knows which global functions may
 * change packet data (this one calls bpf_skb_pull_data) and invalidates the caller's
 * packet pointers at the call, so the read after it is refused.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

__noinline int linearize(struct __sk_buff *skb, __u32 len)
{
	if (!skb || skb->data_end - skb->data >= len)
		return 0;
	return bpf_skb_pull_data(skb, len);
}

SEC("tc")
__failure __msg("invalid mem access 'scalar'") __at_line(37)
int tc_ttl_guard(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (linearize(skb, 128))
		return TC_ACT_SHOT;
	if (iph->ttl <= 1)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
