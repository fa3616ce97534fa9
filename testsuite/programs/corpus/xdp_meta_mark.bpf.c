/*
 * xdp_meta_mark.bpf.c - XDP reserves metadata in front of the packet
 * (bpf_xdp_adjust_meta) and fills it; the tc program that sees the packet next reads
 * it back from data_meta.  Both bound the metadata pointer against data, the only
 * comparison that gives a data_meta pointer a range.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct pkt_meta {
	__u32 mark;
	__u32 ifindex;
};

SEC("xdp")
__success
int xdp_meta_mark(struct xdp_md *ctx)
{
	struct pkt_meta *meta;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return XDP_PASS;
	meta = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if ((void *)(meta + 1) > data)
		return XDP_PASS;
	meta->mark = 0x1234;
	meta->ifindex = ctx->ingress_ifindex;
	return XDP_PASS;
}

SEC("tc")
__success
int tc_meta_read(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	struct pkt_meta *meta = (void *)(long)skb->data_meta;

	if ((void *)(meta + 1) > data)
		return TC_ACT_OK;
	if (meta->mark == 0x1234)
		skb->mark = meta->ifindex;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
