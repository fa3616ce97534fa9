/*
 * ctx_access.bpf.c - the context is not ordinary memory: a socket filter may read
 * skb->len but not write it, and reads must fall on a field.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("socket")
__failure __msg("invalid bpf_context access off=0 size=4")
int write_len(struct __sk_buff *skb)
{
	skb->len = 0;
	return 0;
}

SEC("socket")
__success
int read_len(struct __sk_buff *skb)
{
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
