/*
 * helper_not_allowed.bpf.c - each program type has its own set of helpers: XDP cannot
 * call the socket-buffer helper bpf_skb_load_bytes.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("xdp")
__failure __msg("program of this type cannot use helper bpf_skb_load_bytes#26") __at_line(16)
/* bpfcc: check-helper-prog-type (object checks) */
int xdp_skb_helper(struct xdp_md *ctx)
{
	char byte = 0;

	bpf_skb_load_bytes(ctx, 0, &byte, 1);
	return byte ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
