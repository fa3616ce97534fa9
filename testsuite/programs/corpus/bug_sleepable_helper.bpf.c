/*
 * bug_sleepable_helper.bpf.c - bpf_copy_from_user, which may sleep to fault pages in,
 * called from an ordinary (non-sleepable) uprobe: the section should have been
 * "uprobe.s".  The kernel refuses helpers that might sleep in programs that run in
 * atomic context.
 */
// bpfcc-flags: -O2 -g -mcpu=v3 -D__TARGET_ARCH_x86
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

SEC("uprobe")
__failure __msg("helper call might sleep in a non-sleepable prog") __at_line(20)
int BPF_KPROBE(log_request, const char *req)
{
	char buf[32] = {};

	if (bpf_copy_from_user(buf, sizeof(buf) - 1, req))
		return 0;
	bpf_printk("request %s", buf);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
