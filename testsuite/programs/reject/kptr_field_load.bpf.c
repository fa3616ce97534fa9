/*
 * kptr_field_load.bpf.c - loading a kernel object pointer from a map value's kptr field
 * (check_map_kptr_access(), Linux 6.18): the result may be NULL ("R1 invalid mem access
 * 'rcu_ptr_or_null_'", "Possibly NULL pointer passed to trusted arg0"); once tested, a
 * `struct task_struct __kptr *` read in a non-sleepable program is RCU-protected
 * (bpf_task_acquire takes it, bpf_send_signal_task does not), a `__kptr_untrusted` one is
 * untrusted (a global function's __arg_trusted parameter refuses it too).  Only
 * bpf_kptr_xchg may store into a referenced field ("store to referenced
 * kptr disallowed"); an untrusted field takes plain stores.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern int bpf_send_signal_task(struct task_struct *task, int sig, enum pid_type type,
				u64 value) __ksym;

struct stash {
	struct task_struct __kptr *task;
	struct task_struct __kptr_untrusted *seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct stash);
} stashes SEC(".maps");

SEC("tp_btf/task_newtask")
__failure __msg("Possibly NULL pointer passed to trusted arg0") __at_line(48)
int BPF_PROG(acquire_untested, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t;
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	t = bpf_task_acquire(s->task);
	if (t)
		bpf_task_release(t);
	return 0;
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(acquire_tested, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p, *t;
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	p = s->task;
	if (!p)
		return 0;
	t = bpf_task_acquire(p);
	if (t)
		bpf_task_release(t);
	return p->pid;
}

SEC("tp_btf/task_newtask")
__failure __msg("R1 invalid mem access 'rcu_ptr_or_null_'")
int BPF_PROG(read_untested, struct task_struct *task, u64 clone_flags)
{
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	return s->task->pid;
}

SEC("tp_btf/task_newtask")
__failure __msg("R1 must be referenced or trusted")
int BPF_PROG(signal_stashed, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p;
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	p = s->task;
	if (p)
		bpf_send_signal_task(p, 0, PIDTYPE_PID, 0);
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("R1 must be a rcu pointer")
int BPF_PROG(acquire_untrusted_field, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p, *t;
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	p = s->seen;
	if (!p)
		return 0;
	t = bpf_task_acquire(p);
	if (t)
		bpf_task_release(t);
	return 0;
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(store_untrusted_field, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p;
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	p = s->seen;
	s->seen = task;
	return p ? p->pid : 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("store to referenced kptr disallowed") __at_line(150)
int BPF_PROG(store_referenced_field, struct task_struct *task, u64 clone_flags)
{
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	s->task = task;
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("store to referenced kptr disallowed")
int BPF_PROG(clear_referenced_field, struct task_struct *task, u64 clone_flags)
{
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	s->task = NULL;
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("kptr access size must be BPF_DW")
int BPF_PROG(read_half_field, struct task_struct *task, u64 clone_flags)
{
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	return *(volatile __u32 *)&s->seen;
}

__noinline int pid_of(struct task_struct *t __arg_trusted)
{
	return t->pid;
}

SEC("tp_btf/task_newtask")
__failure __msg("Caller passes invalid args into func#1 ('pid_of')")
int BPF_PROG(untrusted_to_global_func, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p;
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	p = s->seen;
	if (!p)
		return 0;
	return pid_of(p);
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(rcu_to_global_func, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *p;
	struct stash *s;
	int zero = 0;

	s = bpf_map_lookup_elem(&stashes, &zero);
	if (!s)
		return 0;
	p = s->task;
	if (!p)
		return 0;
	return pid_of(p);
}

char LICENSE[] SEC("license") = "GPL";
