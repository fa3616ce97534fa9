/*
 * bug_xdp_vlan_no_bounds.bpf.c - the first draft of xdp_vlan_filter.bpf.c: it checks
 * the Ethernet header against data_end, then steps over an 802.1Q tag and reads the
 * encapsulated protocol without checking that the tag is inside the packet.  The
 * kernel only allows bytes a comparison with data_end has proven.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

const volatile __u16 blocked_vid = 42;

SEC("xdp")
__failure __msg("invalid access to packet") __at_line(37)
int xdp_vlan_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct vlan_hdr *vh;
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	proto = eth->h_proto;
	if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
		return XDP_PASS;
	vh = (void *)(eth + 1);
	if ((bpf_ntohs(vh->tci) & 0x0fff) == blocked_vid)
		return XDP_DROP;
	proto = vh->encap_proto;
	return proto == bpf_htons(ETH_P_ARP) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
