/*
 * fentry_typo.bpf.c - check test object: an fentry program whose target function does not
 * exist in the kernel (one letter too many).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("fentry/do_unlinkatt")
int trace_unlink(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
