/*
 * license_nonul.bpf.c - check test object: a license section of exactly "GPL" without the
 * NUL; libbpf copies the three bytes and the kernel finds it GPL-compatible.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int print_len(struct __sk_buff *skb)
{
	bpf_printk("len %u", skb->len);
	return 0;
}

char LICENSE[3] SEC("license") = "GPL";
