/*
 * mem_ctx_rules.bpf.c - context accesses the kernel refuses: a tc program writing
 * skb->data (read-only), a tc program reading skb->cb[] at an index it computed
 * (the context pointer must not carry a variable offset), an 8-byte read of a 4-byte
 * __sk_buff field.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("tc")
__failure __msg("invalid bpf_context access off=76 size=4")
int tc_write_data(struct __sk_buff *skb)
{
	skb->data = skb->data_end;
	return 0;
}

SEC("tc")
__failure __msg("variable ctx access var_off=(0x0; 0xc) disallowed")
int tc_cb_index(struct __sk_buff *skb)
{
	__u32 i = skb->len & 3;

	return ((volatile __u32 *)skb->cb)[i];
}

SEC("socket")
__failure __msg("invalid bpf_context access off=0 size=8")
int socket_wide_len(struct __sk_buff *skb)
{
	return *(volatile __u64 *)&skb->len != 0;
}

char LICENSE[] SEC("license") = "GPL";
