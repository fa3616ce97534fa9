/*
 * engine_limits.bpf.c - what the path exploration refuses, as the kernel does: a loop
 * that never exits (the verifier comes back to the same state: "infinite loop
 * detected"), argument registers read after a call clobbered them, a pointer stored to
 * the stack in part, a misaligned stack word.  (The 1,000,000-instruction limit is
 * checked against the kernel by unit/verifier_engine_kernel: loading such a program with
 * a level-1 log takes the kernel seconds per attempt.)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("socket")
__failure __msg("infinite loop detected at insn {{[0-9]+}}")
int spin_forever(struct __sk_buff *skb)
{
	if (skb->len > 100)
		for (;;)
			;
	return 0;
}

SEC("socket")
__failure __msg("R{{[0-9]}} !read_ok")
__attribute__((naked)) int call_clobbers_args(void)
{
	asm volatile("r1 = 1;"
		     "call %[rand];"
		     "r0 = r1;"
		     "exit;" ::[rand] "i"(BPF_FUNC_get_prandom_u32)
		     : "memory");
}

SEC("socket")
__failure __msg("invalid size of register spill")
__attribute__((naked)) int pointer_spilled_partially(void)
{
	asm volatile("*(u32 *)(r10 - 8) = r1;"
		     "r0 = 0;"
		     "exit;" ::: "memory");
}

SEC("socket")
__failure __msg("misaligned stack access off 0+0+-4 size 8")
__attribute__((naked)) int misaligned_stack_word(void)
{
	asm volatile("r0 = 0;"
		     "*(u64 *)(r10 - 4) = r0;"
		     "exit;" ::: "memory");
}

char LICENSE[] SEC("license") = "GPL";
