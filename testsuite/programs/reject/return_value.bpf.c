/*
 * return_value.bpf.c - program types with a fixed return range: a cgroup_skb program
 * must return 0 or 1.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("cgroup_skb/ingress")
__failure __msg("At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]")
int returns_two(struct __sk_buff *skb)
{
	return 2;
}

SEC("cgroup_skb/egress")
__success
int returns_one(struct __sk_buff *skb)
{
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
