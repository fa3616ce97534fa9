/*
 * ksym_signature.bpf.c - check test object: a kfunc declared with a prototype the kernel's
 * does not match (a forward-declared struct where the kernel has the struct).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct task_struct;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym __weak;

int seen;

SEC("tc")
int probe_kfunc(struct __sk_buff *skb)
{
	if (bpf_task_acquire)
		seen++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
