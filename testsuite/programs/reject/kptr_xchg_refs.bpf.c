/*
 * kptr_xchg_refs.bpf.c - bpf_kptr_xchg() on a `struct task_struct __kptr *` map value
 * field hands back the object that was stashed there: a referenced pointer that may be
 * NULL.  It must be tested before a release ("Possibly NULL pointer passed to trusted
 * arg0") and released or stashed again before the program ends (a reference leak
 * otherwise).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;

struct stash {
	struct task_struct __kptr *task;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct stash);
} stashes SEC(".maps");

SEC("tp_btf/task_newtask")
__failure __msg("Unreleased reference")
int BPF_PROG(take_and_forget, struct task_struct *task, u64 clone_flags)
{
	struct stash *s;
	struct task_struct *old;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	old = bpf_kptr_xchg(&s->task, NULL);
	if (!old)
		return 0;
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("Possibly NULL pointer passed to trusted arg0")
int BPF_PROG(take_release_untested, struct task_struct *task, u64 clone_flags)
{
	struct stash *s;
	struct task_struct *old;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	old = bpf_kptr_xchg(&s->task, NULL);
	bpf_task_release(old);
	return 0;
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(swap_and_release, struct task_struct *task, u64 clone_flags)
{
	struct stash *s;
	struct task_struct *mine, *old;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	mine = bpf_task_acquire(task);
	if (!mine)
		return 0;
	old = bpf_kptr_xchg(&s->task, mine);
	if (old)
		bpf_task_release(old);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
