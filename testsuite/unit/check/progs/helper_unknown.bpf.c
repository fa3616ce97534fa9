/*
 * helper_unknown.bpf.c - check test object: a call of helper #250, past the last helper
 * the kernel has.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int call_250(struct __sk_buff *skb)
{
	asm volatile("call 250" ::: "r0", "r1", "r2", "r3", "r4", "r5"); /* UNKNOWN HELPER */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
