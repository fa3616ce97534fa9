/*
 * btf_walk_trust.bpf.c - a pointer read from a field of a kernel object is as trusted as
 * the kernel's lists say (check_ptr_to_btf_access(), Linux 6.18): task->group_leader is
 * RCU-protected (task_struct__safe_rcu) in a non-sleepable program, task->parent is not
 * listed (a plain pointer).  bpf_task_acquire() (KF_RCU) takes the first only ("R1 must be
 * a rcu pointer"), bpf_send_signal_task() (KF_TRUSTED_ARGS) neither ("R1 must be
 * referenced or trusted"); after bpf_rcu_read_unlock() an RCU pointer is untrusted.
 * A sleepable program is outside any RCU section until bpf_rcu_read_lock(): there even
 * group_leader read through a referenced task is untrusted.  Reading fields through walked
 * pointers stays allowed.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern int bpf_send_signal_task(struct task_struct *task, int sig, enum pid_type type,
				u64 value) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(acquire_group_leader, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_task_acquire(task->group_leader);

	if (t)
		bpf_task_release(t);
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("R1 must be a rcu pointer") __at_line(43)
int BPF_PROG(acquire_parent, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t;

	t = bpf_task_acquire(task->parent);
	if (t)
		bpf_task_release(t);
	return 0;
}

SEC("tp_btf/task_newtask")
__failure __msg("R1 must be referenced or trusted") __at_line(53)
int BPF_PROG(signal_group_leader, struct task_struct *task, u64 clone_flags)
{
	bpf_send_signal_task(task->group_leader, 0, PIDTYPE_PID, 0);
	return 0;
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(signal_current, struct task_struct *task, u64 clone_flags)
{
	bpf_send_signal_task(bpf_get_current_task_btf(), 0, PIDTYPE_PID, 0);
	return 0;
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(signal_acquired_leader, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_task_acquire(task->group_leader);

	if (!t)
		return 0;
	bpf_send_signal_task(t, 0, PIDTYPE_PID, 0);
	bpf_task_release(t);
	return 0;
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(read_walked_fields, struct task_struct *task, u64 clone_flags)
{
	struct mm_struct *mm = task->mm;
	int pid = task->real_parent->tgid + task->parent->pid;

	if (!mm)
		return pid;
	return pid + mm->exe_file->f_flags;
}

SEC("tp_btf/task_newtask")
__failure __msg("R1 must be a rcu pointer") __at_line(99)
int BPF_PROG(acquire_after_unlock, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *leader, *t;

	bpf_rcu_read_lock();
	leader = task->group_leader;
	bpf_rcu_read_unlock();
	t = bpf_task_acquire(leader);
	if (t)
		bpf_task_release(t);
	return 0;
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(acquire_inside_section, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t;

	bpf_rcu_read_lock();
	t = bpf_task_acquire(task->real_parent);
	bpf_rcu_read_unlock();
	if (t)
		bpf_task_release(t);
	return 0;
}

SEC("syscall")
__failure __msg("R1 must be a rcu pointer")
int sleepable_leader(void *ctx)
{
	struct task_struct *p = bpf_task_from_pid(1), *t;

	if (!p)
		return 0;
	t = bpf_task_acquire(p->group_leader);
	if (t)
		bpf_task_release(t);
	bpf_task_release(p);
	return 0;
}

SEC("syscall")
__success
int sleepable_leader_in_section(void *ctx)
{
	struct task_struct *p = bpf_task_from_pid(1), *t;

	if (!p)
		return 0;
	bpf_rcu_read_lock();
	t = bpf_task_acquire(p->group_leader);
	bpf_rcu_read_unlock();
	if (t)
		bpf_task_release(t);
	bpf_task_release(p);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
