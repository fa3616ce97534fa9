/*
 * stack_var_off_write.bpf.c - a store at a variable stack offset may hit any byte of
 * its range (check_stack_write_var_off()): a pointer spilled in a slot it may hit is
 * forgotten, and what is read back from there is a number, which cannot be
 * dereferenced ("R2 invalid mem access 'scalar'").  Stores that miss the spill keep it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("socket")
__failure __msg("R2 invalid mem access 'scalar'")
__attribute__((naked)) void var_store_hits_spill(void)
{
	asm volatile("r2 = *(u32 *)(r1 + 0);"
	             "r2 &= 8;"
	             "r2 -= 16;"
	             "r2 += r10;"
	             "*(u64 *)(r10 - 8) = r1;"
	             "r0 = 0;"
	             "*(u64 *)(r2 + 0) = r0;"
	             "r2 = *(u64 *)(r10 - 8);"
	             "r0 = *(u32 *)(r2 + 0);"
	             "exit;" ::: "r0", "r1", "r2", "memory");
}

SEC("socket")
__success
__attribute__((naked)) void var_store_misses_spill(void)
{
	asm volatile("r2 = *(u32 *)(r1 + 0);"
	             "r2 &= 8;"
	             "r2 -= 24;"
	             "r2 += r10;"
	             "*(u64 *)(r10 - 8) = r1;"
	             "r0 = 0;"
	             "*(u64 *)(r2 + 0) = r0;"
	             "r2 = *(u64 *)(r10 - 8);"
	             "r0 = *(u32 *)(r2 + 0);"
	             "exit;" ::: "r0", "r1", "r2", "memory");
}

char LICENSE[] SEC("license") = "GPL";
