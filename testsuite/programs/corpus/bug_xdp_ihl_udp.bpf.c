/*
 * bug_xdp_ihl_udp.bpf.c - the first draft of xdp_udp_ihl.bpf.c: it honours IPv4
 * options by skipping ihl * 4 bytes and checks that the IP header fits, but then reads
 * the UDP ports without checking the UDP header.  Adding the variable header length
 * makes a new packet pointer with no proven bytes, so the read is refused.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

const volatile __u16 drop_port = 9;

SEC("xdp")
__failure __msg("invalid access to packet") __at_line(38)
int xdp_drop_discard(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *uh;
	__u32 hlen;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (iph->protocol != IPPROTO_UDP)
		return XDP_PASS;
	hlen = iph->ihl * 4;
	if (hlen < sizeof(*iph) || (void *)iph + hlen > data_end)
		return XDP_PASS;
	uh = (void *)iph + hlen;
	return uh->dest == bpf_htons(drop_port) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
