/*
 * nolicense.bpf.c - check test object: no license section at all (the kernel sees "") and
 * a call of the GPL-only bpf_trace_printk.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int no_license(struct __sk_buff *skb)
{
	bpf_printk("len %u", skb->len); /* GPL-ONLY CALL */
	return 0;
}
