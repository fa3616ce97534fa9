/*
 * bug_lwt_in_rewrite.bpf.c - a lightweight-tunnel input hook that clears the ECN bits
 * of the IPv4 header in place.  LWT_IN (like LWT_OUT, cgroup skb and flow dissector
 * programs) may read the packet directly but never write it: only lwt_xmit, tc, XDP and
 * sk_skb/sk_msg programs may, so the kernel refuses the store.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("lwt_in")
__failure __msg("cannot write into packet") __at_line(25)
int lwt_clear_ecn(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *iph = data;

	if ((void *)(iph + 1) > data_end)
		return BPF_OK;
	if (iph->version != 4 || !(iph->tos & 3))
		return BPF_OK;
	iph->tos &= ~3;
	return BPF_OK;
}

char LICENSE[] SEC("license") = "GPL";
