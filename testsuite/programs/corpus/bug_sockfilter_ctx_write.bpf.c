/*
 * bug_sockfilter_ctx_write.bpf.c - a socket filter that tags the packets it keeps by
 * writing skb->mark, as a tc program may.  For socket filters the kernel allows writes
 * only to the cb[] scratch words of the context and refuses the store to mark.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("socket")
__failure __msg("invalid bpf_context access off={{[0-9]+}} size=4") __at_line(19)
/* bpfcc detects this since its context and packet-pointer rules */
int keep_and_mark(struct __sk_buff *skb)
{
	if (skb->len < 64)
		return 0;
	skb->cb[0] = skb->len;
	skb->mark = 0x42;
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
