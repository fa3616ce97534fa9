/*
 * xdp_adjust_decap.bpf.c - IP-in-IP decapsulation in XDP: checks the outer headers,
 * moves the Ethernet header forward over the outer IPv4 header and shrinks the packet
 * with bpf_xdp_adjust_head, then re-reads data/data_end and re-checks bounds before
 * writing the new header.  Models packet pointers invalidated by adjust_head and
 * re-derived from the context.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} decapped SEC(".maps");

SEC("xdp")
__success
int xdp_ipip_decap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data, saved;
	struct iphdr *outer;
	__u32 zero = 0;
	__u64 *cnt;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	outer = (void *)(eth + 1);
	if ((void *)(outer + 1) > data_end)
		return XDP_PASS;
	if (outer->protocol != IPPROTO_IPIP || outer->ihl != 5)
		return XDP_PASS;
	if ((void *)(outer + 1) + sizeof(struct iphdr) > data_end)
		return XDP_DROP;
	__builtin_memcpy(&saved, eth, sizeof(saved));
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(struct iphdr)))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	__builtin_memcpy(eth, &saved, sizeof(*eth));
	cnt = bpf_map_lookup_elem(&decapped, &zero);
	if (cnt)
		*cnt += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
