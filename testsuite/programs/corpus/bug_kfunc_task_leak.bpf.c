/*
 * bug_kfunc_task_leak.bpf.c - the first draft of tpbtf_kfunc_refs.bpf.c: the task
 * acquired with bpf_task_from_pid is released on the main path but not on the early
 * return taken when the watched task has not switched yet.  The kernel tracks the
 * kfunc's reference and refuses an exit that still holds it.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

const volatile s32 watched_pid = 1;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, u64);
} switches_at_fork SEC(".maps");

SEC("tp_btf/sched_process_fork")
__failure __msg("Unreleased reference id={{[0-9]+}} alloc_insn={{[0-9]+}}") __at_line(37)
int BPF_PROG(fork_watch, struct task_struct *parent, struct task_struct *child)
{
	struct task_struct *w;
	u32 cpid = child->pid;
	u64 vcsw;

	w = bpf_task_from_pid(watched_pid);
	if (!w)
		return 0;
	vcsw = w->nvcsw;
	if (vcsw == 0)
		return 0;
	bpf_task_release(w);
	bpf_map_update_elem(&switches_at_fork, &cpid, &vcsw, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
