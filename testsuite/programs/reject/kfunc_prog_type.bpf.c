/*
 * kfunc_prog_type.bpf.c - kfuncs are registered per program type (Linux 6.18): a kprobe or
 * kretprobe program may not call bpf_task_acquire ("calling kernel function
 * bpf_task_acquire is not allowed"), a tp_btf program may; bpf_rcu_read_lock is offered to
 * kprobes, bpf_cpumask_create to XDP programs is not.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern struct bpf_cpumask *bpf_cpumask_create(void) __ksym;
extern void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym;

SEC("kretprobe/do_exit")
__failure __msg("calling kernel function bpf_task_acquire is not allowed") __at_line(24)
int acquire_in_kretprobe(void *ctx)
{
	struct task_struct *t = bpf_task_acquire(bpf_get_current_task_btf());

	if (t)
		bpf_task_release(t);
	return 0;
}

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(acquire_in_tp_btf, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *t = bpf_task_acquire(task);

	if (t)
		bpf_task_release(t);
	return 0;
}

SEC("kprobe/do_exit")
__success
int rcu_section_in_kprobe(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	int pid;

	bpf_rcu_read_lock();
	pid = task->real_parent->pid;
	bpf_rcu_read_unlock();
	return pid == 1;
}

SEC("xdp")
__failure __msg("calling kernel function bpf_cpumask_create is not allowed")
int cpumask_in_xdp(struct xdp_md *ctx)
{
	struct bpf_cpumask *mask = bpf_cpumask_create();

	if (mask)
		bpf_cpumask_release(mask);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
