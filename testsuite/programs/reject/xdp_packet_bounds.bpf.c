/*
 * xdp_packet_bounds.bpf.c - packet reads need a comparison with data_end that covers
 * them: none at all, and one that covers too few bytes.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("xdp")
__failure __msg("invalid access to packet, off=12 size={{[12]}}, R1(id=0,off=12,r=0)")
__msg("R1 offset is outside of the packet") __at_line(18)
/* bpfcc detects this since its packet-pointer rules (mem_pkt.c) */
int no_data_end_check(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;

	return eth->h_proto == 8 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
__failure __msg("invalid access to packet, off=12 size={{[12]}}, R{{[0-9]}}(id=0,off=12,r=12)")
__msg("offset is outside of the packet") __at_line(33)
/* bpfcc detects this since its packet-pointer rules (mem_pkt.c) */
int short_check(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if (data + 12 > data_end)
		return XDP_PASS;
	return eth->h_proto == 8 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
