/*
 * gpl_only_helper.bpf.c - bpf_trace_printk is GPL-only: a program whose license is not
 * GPL-compatible may not call it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("socket")
__failure __msg("cannot call GPL-restricted function from non-GPL compatible program")
/* bpfcc: check-helper-gpl (object checks) */
int print_len(struct __sk_buff *skb)
{
	bpf_printk("len %u", skb->len);
	return 0;
}

char LICENSE[] SEC("license") = "Proprietary";
