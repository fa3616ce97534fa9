/*
 * bug_kptr_stash_direct_store.bpf.c - remembers, per CPU slot, the last task that forked
 * so that a later program can inspect it.  The draft acquires the task and assigns it to
 * the map's `__kptr` field with a plain store: the kernel owns the reference a kptr
 * field holds, and only bpf_kptr_xchg() may put one there (and hand back the old one).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

struct last_fork {
	u64 when;
	struct task_struct __kptr *task;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct last_fork);
} last SEC(".maps");

SEC("tp_btf/task_newtask")
__failure __msg("store to referenced kptr disallowed") __at_line(43)
int BPF_PROG(remember_fork, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *ref;
	struct last_fork *l;
	u32 zero = 0;

	l = bpf_map_lookup_elem(&last, &zero);
	if (!l)
		return 0;
	ref = bpf_task_acquire(task);
	if (!ref)
		return 0;
	l->when = bpf_ktime_get_ns();
	l->task = ref;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
