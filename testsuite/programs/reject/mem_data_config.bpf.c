/*
 * mem_data_config.bpf.c - the same configuration switch as accept/mem_rodata_config but
 * in writable .data: the kernel cannot treat the value as a constant, explores the branch
 * that dereferences a number and refuses the program.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

volatile __u32 cfg_mode = 1;

SEC("socket")
__failure __msg("invalid mem access 'scalar'")
int data_mode(struct __sk_buff *skb)
{
	if (cfg_mode != 1)
		return *(volatile __u32 *)(unsigned long)skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
