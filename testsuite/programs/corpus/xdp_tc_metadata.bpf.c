/*
 * xdp_tc_metadata.bpf.c - passing a classification from XDP to tc through the
 * metadata area: the XDP program grows it with bpf_xdp_adjust_meta and writes a small
 * struct in front of the packet, the tc program reads it back through skb->data_meta
 * after checking it against skb->data.  Models the data_meta pointer and its own range
 * check (against data, not data_end).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct meta {
	__u32 mark;
	__u16 class;
	__u16 magic;
};

#define META_MAGIC 0xb0fc

SEC("xdp")
__success
int xdp_classify_meta(struct xdp_md *ctx)
{
	void *data, *data_end, *data_meta;
	struct ethhdr *eth;
	struct meta *m;
	__u16 class;

	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	class = eth->h_proto == bpf_htons(ETH_P_IPV6) ? 6 : eth->h_proto == bpf_htons(ETH_P_IP) ? 4 : 0;
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m)))
		return XDP_PASS;
	data = (void *)(long)ctx->data;
	data_meta = (void *)(long)ctx->data_meta;
	m = data_meta;
	if ((void *)(m + 1) > data)
		return XDP_PASS;
	m->mark = ctx->rx_queue_index;
	m->class = class;
	m->magic = META_MAGIC;
	return XDP_PASS;
}

SEC("tc")
__success
int tc_read_meta(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_meta = (void *)(long)skb->data_meta;
	struct meta *m = data_meta;

	if ((void *)(m + 1) > data || m->magic != META_MAGIC)
		return TC_ACT_OK;
	skb->mark = m->mark;
	skb->tc_classid = m->class;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
