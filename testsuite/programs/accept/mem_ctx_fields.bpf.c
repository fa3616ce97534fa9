/*
 * mem_ctx_fields.bpf.c - context accesses the kernel allows: a tc program reads fields at
 * every size its __sk_buff allows, writes mark, priority, tc_index and cb[]; a socket
 * filter writes cb[] only; narrow reads of wide fields yield bounded numbers that index a
 * stack buffer.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("tc")
__success
int tc_fields(struct __sk_buff *skb)
{
	__u8 lo = *(volatile __u8 *)&skb->len;
	__u16 proto = skb->protocol;

	skb->mark = skb->hash ^ proto;
	skb->priority = lo;
	skb->tc_index = 1;
	skb->cb[0] = skb->ifindex;
	return 0;
}

SEC("socket")
__success
int socket_cb(struct __sk_buff *skb)
{
	char buf[256] = {};
	__u8 b = *(volatile __u8 *)&skb->len;

	skb->cb[1] = skb->len;
	return buf[b];
}

char LICENSE[] SEC("license") = "GPL";
