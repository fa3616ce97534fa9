/* Accepted: an external kernel function declared __ksym is resolved by the loader. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

SEC("tp/syscalls/sys_enter_getpid")
int rcu_section(void *ctx)
{
	bpf_rcu_read_lock();
	bpf_printk("in an RCU read-side section");
	bpf_rcu_read_unlock();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
