/*
 * callback_named_in_dead_code.bpf.c - a bpf_loop() callback that is named only on a path
 * the verifier knows is never taken (a volatile stack flag stored as 0 and read back) is
 * never verified by the kernel: an instruction in it that the kernel would refuse (a
 * division by the constant zero) does not stop the program from loading.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

static int never_run(__u32 idx, void *ctx)
{
	asm volatile("r0 /= 0;" ::: "r0");
	return 0;
}

SEC("socket")
__success
int dead_callback(void *ctx)
{
	volatile __u32 debug = 0;

	if (debug)
		bpf_loop(4, never_run, NULL, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
