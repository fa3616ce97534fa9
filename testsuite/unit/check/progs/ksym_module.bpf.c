/*
 * ksym_module.bpf.c - check test object: a kfunc that vmlinux does not have; the test
 * gives it in a module BTF of its own making (split BTF, as /sys/kernel/btf/<module>).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int bpfcc_mod_kfunc(int len) __ksym;

SEC("tc")
int call_module_kfunc(struct __sk_buff *skb)
{
	return bpfcc_mod_kfunc(skb->len) ? 2 : 0;
}

char LICENSE[] SEC("license") = "GPL";
