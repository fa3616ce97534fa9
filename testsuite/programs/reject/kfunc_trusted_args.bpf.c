/*
 * kfunc_trusted_args.bpf.c - kfuncs that take trusted, RCU or released kernel objects
 * (KF_TRUSTED_ARGS, KF_RCU, KF_RELEASE) check their pointer arguments
 * (check_kfunc_args()): NULL, or an acquired pointer not yet tested, is refused
 * ("Possibly NULL pointer passed to trusted arg0"); a release kfunc must be given a
 * referenced object, not the tracepoint's own argument; a pointer to the stack is no
 * kernel object ("must point to scalar, or struct with scalar"), nor is a task a cgroup
 * ("expected pointer to STRUCT cgroup").
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct cgroup *bpf_cgroup_acquire(struct cgroup *cgrp) __ksym;
extern void bpf_cgroup_release(struct cgroup *cgrp) __ksym;

const volatile s32 watched_pid = 1;
u64 last_nvcsw;

SEC("tp_btf/task_newtask")
__failure __msg("Possibly NULL pointer passed to trusted arg0")
int BPF_PROG(release_unchecked_lookup, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *w = bpf_task_from_pid(watched_pid);

	/* no NULL test before the release */
	bpf_task_release(w);
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("Possibly NULL pointer passed to trusted arg0")
int BPF_PROG(acquire_null, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_task_acquire(NULL);

	if (t)
		bpf_task_release(t);
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("release kernel function bpf_task_release expects refcounted PTR_TO_BTF_ID")
int BPF_PROG(release_tracepoint_arg, struct task_struct *task, u64 clone_flags)
{
	last_nvcsw = task->nvcsw;
	bpf_task_release(task);
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("arg#0 pointer type STRUCT task_struct must point to scalar, or struct with scalar")
int BPF_PROG(acquire_stack_copy, struct task_struct *task, u64 clone_flags)
{
	u64 fake[4] = {clone_flags, 0, 0, 0};
	struct task_struct *t = bpf_task_acquire((struct task_struct *)fake);

	if (t)
		bpf_task_release(t);
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("kernel function bpf_cgroup_acquire args#0 expected pointer to STRUCT cgroup but R1 has a pointer to STRUCT task_struct")
int BPF_PROG(acquire_wrong_struct, struct task_struct *task, u64 clone_flags)
{
	struct cgroup *c = bpf_cgroup_acquire((struct cgroup *)task);

	if (c)
		bpf_cgroup_release(c);
	return 0;
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(lookup_checked, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *w = bpf_task_from_pid(watched_pid);

	if (!w)
		return 0;
	last_nvcsw = w->nvcsw;
	bpf_task_release(w);
	return 0;
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(acquire_tracepoint_arg, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_task_acquire(task);

	if (!t)
		return 0;
	last_nvcsw = t->nvcsw;
	bpf_task_release(t);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
