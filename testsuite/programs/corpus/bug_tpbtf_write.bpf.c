/*
 * bug_tpbtf_write.bpf.c - a tp_btf program that "resets" a field of the task it is
 * handed.  BTF pointers give read access to kernel memory only; the kernel refuses
 * stores through a PTR_TO_BTF_ID of a task_struct.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

SEC("tp_btf/sched_wakeup")
__failure __msg("only read is supported") __at_line(18)
/* bpfcc detects this since it types tp_btf arguments from the target's BTF */
int BPF_PROG(wake_boost, struct task_struct *p)
{
	if (p->prio > 120)
		p->prio = 120;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
