/*
 * bug_xdp_pull_data_stale.bpf.c - an XDP program for multi-buffer (frags) packets pulls
 * the headers into the linear part with the bpf_xdp_pull_data kfunc (Linux 6.18) when
 * they are not there yet, but then reads the IPv4 header through the pointer computed
 * before the call.  The kfunc may move the packet data, so the kernel invalidates all
 * packet pointers at the call and refuses the read.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

extern int bpf_xdp_pull_data(struct xdp_md *x, __u32 len) __ksym;

SEC("xdp.frags")
__failure __msg("invalid mem access 'scalar'") __at_line(33)
int xdp_ttl_floor(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (bpf_xdp_pull_data(ctx, 256))
		return XDP_PASS;
	return iph->ttl < 2 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
