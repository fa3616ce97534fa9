/* drop_common.h - parsing shared by drop_icmp.bpf.c and drop_udp.bpf.c. */
#ifndef SAMPLE_DROP_COMMON_H
#define SAMPLE_DROP_COMMON_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>

/* The IPv4 header of the packet, or NULL when it is not (a whole) IPv4 packet. */
static __always_inline struct iphdr *ipv4_header(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return 0;
	return ip;
}

#endif
