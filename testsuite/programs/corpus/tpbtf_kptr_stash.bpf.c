/*
 * tpbtf_kptr_stash.bpf.c - remembers the last task that forked in a map's `__kptr` field
 * (bpf_kptr_xchg hands back the previous one, which is released), and lets the exec
 * tracepoint read the stashed task's pid: a load of the field gives a task pointer that
 * may be NULL and is RCU-protected, read after a NULL test.
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

u32 last_pid_seen;

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(remember_fork, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *ref, *old;
	struct last_fork *l;
	u32 zero = 0;

	l = bpf_map_lookup_elem(&last, &zero);
	if (!l)
		return 0;
	ref = bpf_task_acquire(task);
	if (!ref)
		return 0;
	l->when = bpf_ktime_get_ns();
	old = bpf_kptr_xchg(&l->task, ref);
	if (old)
		bpf_task_release(old);
	return 0;
}

SEC("tp_btf/sched_process_exec")
__success
int BPF_PROG(peek_fork, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_struct *t;
	struct last_fork *l;
	u32 zero = 0;

	l = bpf_map_lookup_elem(&last, &zero);
	if (!l)
		return 0;
	t = l->task;
	if (t)
		last_pid_seen = t->pid;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
