/*
 * helper_result_aligned.bpf.c - bpf_strtoul() stores its result through an 8-byte
 * pointer that must be aligned to 8 (MEM_ALIGNED: check_ptr_alignment() strict, even
 * where plain accesses need not be): a result slot at fp-28 is refused ("misaligned stack
 * access off 0+-28+0 size 8"), one at fp-32 is fine.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define __naked __attribute__((naked))
#define __imm(name) [name] "i"(name)

SEC("cgroup/sysctl")
__failure __msg("misaligned stack access off 0+-28+0 size 8") __at_line(18)
__naked void result_at_fp_minus_28(void)
{
	asm volatile("r0 = 0x3432;"
	             "*(u64 *)(r10 - 8) = r0;"
	             "r0 = 0;"
	             "*(u64 *)(r10 - 24) = r0;"
	             "*(u64 *)(r10 - 32) = r0;"
	             "r1 = r10;"
	             "r1 += -8;"
	             "r2 = 2;"
	             "r3 = 10;"
	             "r4 = r10;"
	             "r4 += -28;"
	             "call %[bpf_strtoul];"
	             "r0 = 1;"
	             "exit;"
	             :
	             : __imm(bpf_strtoul)
	             : "r0", "r1", "r2", "r3", "r4", "r5", "memory");
}

SEC("cgroup/sysctl")
__success
__naked void result_at_fp_minus_32(void)
{
	asm volatile("r0 = 0x3432;"
	             "*(u64 *)(r10 - 8) = r0;"
	             "r1 = r10;"
	             "r1 += -8;"
	             "r2 = 2;"
	             "r3 = 10;"
	             "r4 = r10;"
	             "r4 += -32;"
	             "call %[bpf_strtoul];"
	             "r0 = 1;"
	             "exit;"
	             :
	             : __imm(bpf_strtoul)
	             : "r0", "r1", "r2", "r3", "r4", "r5", "memory");
}

char LICENSE[] SEC("license") = "GPL";
