/* Runner self-test: both reject it, but the expected message is not the kernel's -> FAIL,
 * exit 1. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfcc/expect.h"

SEC("socket")
__failure __msg("some other message")
__attribute__((naked)) int div_zero(void)
{
	asm volatile("r0 = 1; r0 /= 0; exit");
}

char LICENSE[] SEC("license") = "GPL";
