/*
 * bug_helper_wrong_prog.bpf.c - a socket filter that tries to scrub a byte of the
 * packet with bpf_skb_store_bytes: that helper exists for tc programs, not for socket
 * filters.  The kernel looks the helper up in the program type's list and refuses the
 * call.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("socket")
__failure __msg("program of this type cannot use helper bpf_skb_store_bytes#9") __at_line(23)
int scrub_ttl(struct __sk_buff *skb)
{
	__u8 ttl;

	if (bpf_skb_load_bytes(skb, ETH_HLEN + 8, &ttl, 1) < 0)
		return 0;
	if (ttl < 64) {
		ttl = 64;
		bpf_skb_store_bytes(skb, ETH_HLEN + 8, &ttl, 1, 0);
	}
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
