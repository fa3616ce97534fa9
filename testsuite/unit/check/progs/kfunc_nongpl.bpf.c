/*
 * kfunc_nongpl.bpf.c - check test object: a kfunc called from a program whose license is
 * not GPL-compatible.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

SEC("tc")
int rcu_user(struct __sk_buff *skb)
{
	bpf_rcu_read_lock(); /* KFUNC CALL */
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "BSD";
