/*
 * bug_xdp_meta_vs_end.bpf.c - the first draft of xdp_meta_mark.bpf.c: it reserves room
 * for metadata in front of the packet with bpf_xdp_adjust_meta, then bounds the
 * metadata pointer against data_end instead of data.  The kernel learns a range for a
 * data_meta pointer only from a comparison with data, so the store is refused.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct pkt_meta {
	__u32 mark;
	__u32 ifindex;
};

SEC("xdp")
__failure __msg("invalid access to packet") __at_line(32)
int xdp_meta_mark(struct xdp_md *ctx)
{
	struct pkt_meta *meta;
	void *data, *data_end;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return XDP_PASS;
	meta = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if ((void *)(meta + 1) > data_end)
		return XDP_PASS;
	meta->mark = 0x1234;
	meta->ifindex = ctx->ingress_ifindex;
	return data + ETH_HLEN <= data_end ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
