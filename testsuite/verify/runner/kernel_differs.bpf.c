/* Runner self-test: the expectation says __success but the kernel rejects it -> FAIL,
 * exit 1, whatever bpfcc says; a marker does not excuse the kernel half. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfcc/expect.h"

SEC("socket")
__success
__attribute__((naked)) int div_zero(void)
{
	asm volatile("r0 = 1; r0 /= 0; exit");
}

char LICENSE[] SEC("license") = "GPL";
