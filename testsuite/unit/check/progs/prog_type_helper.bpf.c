/*
 * prog_type_helper.bpf.c - check test object: XDP programs cannot call the socket-buffer
 * helper bpf_skb_load_bytes.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_skb_helper(struct xdp_md *ctx)
{
	char byte = 0;

	bpf_skb_load_bytes(ctx, 0, &byte, 1); /* NOT ALLOWED */
	return byte ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
