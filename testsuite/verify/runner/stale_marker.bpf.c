/* Runner self-test: marked pending although bpfcc detects it -> FAIL ("remove the
 * marker"), exit 1. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfcc/expect.h"

SEC("socket")
__failure __msg("div by zero")
__bpfcc_xfail("pretend bpfcc cannot see it")
__attribute__((naked)) int div_zero(void)
{
	asm volatile("r0 = 1; r0 /= 0; exit");
}

char LICENSE[] SEC("license") = "GPL";
