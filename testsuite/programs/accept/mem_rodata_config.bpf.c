/*
 * mem_rodata_config.bpf.c - a const volatile configuration in .rodata decides a branch:
 * libbpf freezes .rodata, so the kernel reads the value as a constant and never visits
 * the branch the configuration rules out (here one that dereferences a number and would
 * be refused if it were reachable).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

const volatile __u32 cfg_mode = 1;

SEC("socket")
__success
int rodata_mode(struct __sk_buff *skb)
{
	if (cfg_mode != 1)
		return *(volatile __u32 *)(unsigned long)skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
