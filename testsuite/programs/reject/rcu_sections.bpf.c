/*
 * rcu_sections.bpf.c - bpf_rcu_read_lock() / bpf_rcu_read_unlock() must pair up on every
 * path: an unlock without a lock, a second lock inside the section, and an exit with the
 * section open are refused; the balanced section next to them loads.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

SEC("tp_btf/sched_process_exec")
__failure __msg("unmatched rcu read unlock (kernel function bpf_rcu_read_unlock)")
int BPF_PROG(unlock_without_lock, struct task_struct *p)
{
	if (p->pid > 100)
		bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	return 0;
}

SEC("tp_btf/sched_process_exec")
__failure __msg("nested rcu read lock (kernel function bpf_rcu_read_lock)")
int BPF_PROG(lock_twice, struct task_struct *p)
{
	bpf_rcu_read_lock();
	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	bpf_rcu_read_unlock();
	return 0;
}

SEC("tp_btf/sched_process_exec")
__failure __msg("BPF_EXIT instruction in main prog cannot be used inside bpf_rcu_read_lock-ed region")
int BPF_PROG(exit_locked, struct task_struct *p)
{
	bpf_rcu_read_lock();
	return p->real_parent ? 1 : 0;
}

SEC("tp_btf/sched_process_exec")
__success
int BPF_PROG(balanced, struct task_struct *p)
{
	int tgid = 0;

	bpf_rcu_read_lock();
	if (p->real_parent)
		tgid = p->real_parent->tgid;
	bpf_rcu_read_unlock();
	return tgid > 1 ? 0 : 0;
}

char LICENSE[] SEC("license") = "GPL";
