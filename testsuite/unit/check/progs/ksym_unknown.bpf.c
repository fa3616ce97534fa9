/*
 * ksym_unknown.bpf.c - check test object: a kfunc that the kernel does not have (a typo of
 * bpf_rcu_read_lock).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern void bpf_rcu_read_lck(void) __ksym;

SEC("tc")
int rcu_typo(struct __sk_buff *skb)
{
	bpf_rcu_read_lck();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
