/*
 * asm_basics.bpf.c - rules about registers and instructions, written in inline assembly
 * so that the compiler cannot tidy them away: R0 must be set before exit, no register
 * may be read before it is written, division by
 * an immediate zero is refused, a stack access below the 512-byte frame is refused, and
 * a loop without exit is detected.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("socket")
__failure __msg("R0 !read_ok")
/* bpfcc: detected by the preflight verifier */
__attribute__((naked)) int exit_without_r0(void)
{
	asm volatile("exit");
}

SEC("socket")
__failure __msg("R2 !read_ok")
/* bpfcc: detected by the preflight verifier */
__attribute__((naked)) int read_uninit_reg(void)
{
	asm volatile("r0 = r2; exit");
}

SEC("socket")
__failure __msg("div by zero")
/* bpfcc: verifier-div-by-zero (structural checks) */
__attribute__((naked)) int div_by_zero_imm(void)
{
	asm volatile("r0 = 1; r0 /= 0; exit");
}

SEC("socket")
__failure __msg("invalid write to stack R10 off=-520 size=8")
/* bpfcc: detected by the preflight verifier */
__attribute__((naked)) int stack_below_frame(void)
{
	asm volatile("r0 = 0; *(u64 *)(r10 - 520) = r0; exit");
}

SEC("socket")
__failure __msg("infinite loop detected at insn 1")
/* bpfcc: detected by the preflight verifier */
__attribute__((naked)) int endless(void)
{
	asm volatile("r0 = 0; l0_%=: goto l0_%=;" ::: "memory");
}

char LICENSE[] SEC("license") = "GPL";
