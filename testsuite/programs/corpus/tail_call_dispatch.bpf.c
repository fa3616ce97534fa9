/*
 * tail_call_dispatch.bpf.c - a protocol dispatcher built on tail calls, as cilium and
 * katran do: the entry XDP program classifies the packet and bpf_tail_call()s into a
 * per-protocol program from a prog array, falling through to a default verdict when
 * the slot is empty.  Models bpf_tail_call on a PROG_ARRAY and the code after it.
 */
// bpfcc-flags: -O2 -g
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

enum { SLOT_TCP, SLOT_UDP, SLOT_ICMP, SLOT_MAX };

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, SLOT_MAX);
	__type(key, __u32);
	__type(value, __u32);
} proto_progs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SLOT_MAX + 1);
	__type(key, __u32);
	__type(value, __u64);
} dispatch_miss SEC(".maps");

SEC("xdp")
__success
int xdp_dispatch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u32 slot;
	__u64 *miss;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	switch (iph->protocol) {
	case IPPROTO_TCP:
		slot = SLOT_TCP;
		break;
	case IPPROTO_UDP:
		slot = SLOT_UDP;
		break;
	case IPPROTO_ICMP:
		slot = SLOT_ICMP;
		break;
	default:
		slot = SLOT_MAX;
		goto out;
	}
	bpf_tail_call(ctx, &proto_progs, slot);
out:
	miss = bpf_map_lookup_elem(&dispatch_miss, &slot);
	if (miss)
		*miss += 1;
	return XDP_PASS;
}

SEC("xdp")
__success
int xdp_handle_icmp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (data + ETH_HLEN + sizeof(struct iphdr) + 8 > data_end)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
