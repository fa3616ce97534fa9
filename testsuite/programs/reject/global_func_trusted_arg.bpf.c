/*
 * global_func_trusted_arg.bpf.c - a global function's parameter tagged __arg_trusted
 * (decl tag "arg:trusted") is a trusted kernel object, never NULL unless also
 * __arg_nullable: callers must pass such an object (not a number, not an acquired
 * pointer before its NULL test), and the function itself holds no reference on it, so
 * it may not release it.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

#define __arg_trusted  __attribute__((btf_decl_tag("arg:trusted")))
#define __arg_nullable __attribute__((btf_decl_tag("arg:nullable")))

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

__weak int task_prio_sum(struct task_struct *t __arg_trusted)
{
	return t->prio + t->static_prio;
}

__weak int task_prio_or_zero(struct task_struct *t __arg_trusted __arg_nullable)
{
	return t ? t->prio : 0;
}

__weak int task_drop(struct task_struct *t __arg_trusted)
{
	bpf_task_release(t);
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("Caller passes invalid args into func#{{[0-9]+}} ('task_prio_sum')")
int BPF_PROG(trusted_given_null, struct task_struct *task, u64 clone_flags)
{
	return task_prio_sum(NULL);
}

SEC("tp_btf/task_newtask")
__failure __msg("Caller passes invalid args into func#{{[0-9]+}} ('task_prio_sum')")
int BPF_PROG(trusted_given_untested, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_task_acquire(task);
	int r = task_prio_sum(t);

	if (t)
		bpf_task_release(t);
	return r;
}

SEC("tp_btf/task_newtask")
__failure __msg("release kernel function bpf_task_release expects refcounted PTR_TO_BTF_ID")
int BPF_PROG(trusted_released_inside, struct task_struct *task, u64 clone_flags)
{
	return task_drop(task);
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(trusted_ok, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_task_acquire(task);
	int r = task_prio_sum(task) + task_prio_or_zero(NULL) + task_prio_or_zero(t);

	if (t) {
		r += task_prio_sum(t);
		bpf_task_release(t);
	}
	return r;
}

char LICENSE[] SEC("license") = "GPL";
