/*
 * bug_task_use_after_release.bpf.c - samples how often a watched task has been switched
 * out whenever another task forks.  The draft drops its reference to the watched task
 * and only then reads the counters through the stale pointer.  Releasing a reference
 * invalidates every copy of the pointer.
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
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} last_switches SEC(".maps");

SEC("tp_btf/sched_process_fork")
__failure __msg("invalid mem access 'scalar'") __at_line(39)
int BPF_PROG(sample_switches, struct task_struct *parent, struct task_struct *child)
{
	struct task_struct *w;
	u32 zero = 0;
	u64 *slot;

	w = bpf_task_from_pid(watched_pid);
	if (!w)
		return 0;
	bpf_task_release(w);
	slot = bpf_map_lookup_elem(&last_switches, &zero);
	if (slot)
		*slot = w->nvcsw + w->nivcsw;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
