/*
 * gpl_helper.bpf.c - check test object: bpf_trace_printk is GPL-only and the license is
 * not GPL-compatible; the call sits in a .text subprogram the socket filter reaches.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) static int report(int len)
{
	bpf_printk("len %d", len); /* GPL-ONLY CALL */
	return len;
}

SEC("socket")
int print_len(struct __sk_buff *skb)
{
	return report(skb->len) > 0;
}

char LICENSE[] SEC("license") = "Proprietary";
