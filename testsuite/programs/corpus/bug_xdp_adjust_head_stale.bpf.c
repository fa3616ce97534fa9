/*
 * bug_xdp_adjust_head_stale.bpf.c - the first draft of xdp_adjust_decap.bpf.c: after
 * bpf_xdp_adjust_head strips the outer header, the program writes the saved Ethernet
 * header through the `eth` pointer it computed before the call.  The helper moves the
 * packet start, the kernel invalidates all packet pointers at the call and refuses the
 * store.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("xdp")
__failure __msg("invalid mem access 'scalar'") __at_line(36)
/* bpfcc detects this since its packet-pointer rules (mem_pkt.c) */
int xdp_ipip_strip(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data, saved;
	struct iphdr *outer = (void *)(eth + 1);

	if ((void *)(outer + 1) + sizeof(struct iphdr) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || outer->protocol != IPPROTO_IPIP ||
	    outer->ihl != 5)
		return XDP_PASS;
	__builtin_memcpy(&saved, eth, sizeof(saved));
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(struct iphdr)))
		return XDP_DROP;
	eth = (void *)eth + sizeof(struct iphdr);
	__builtin_memcpy(eth, &saved, sizeof(saved));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
