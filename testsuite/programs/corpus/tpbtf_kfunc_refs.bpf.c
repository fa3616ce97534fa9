/*
 * tpbtf_kfunc_refs.bpf.c - kernel functions (kfuncs) with acquired references, as newer
 * tracers use them: looks a task up by pid with bpf_task_from_pid (a reference the
 * program must drop with bpf_task_release on every path) and walks the parent chain
 * under bpf_rcu_read_lock.  Models KF_ACQUIRE/KF_RELEASE reference tracking, RCU
 * read-side sections and trusted/untrusted BTF pointers.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

const volatile s32 watched_pid = 1;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, u32);
} parent_of SEC(".maps");

SEC("tp_btf/sched_process_fork")
__success
int BPF_PROG(fork_watch, struct task_struct *parent, struct task_struct *child)
{
	struct task_struct *w;
	u32 cpid = child->pid, ppid = parent->tgid;
	u64 vcsw;

	w = bpf_task_from_pid(watched_pid);
	if (!w)
		return 0;
	vcsw = w->nvcsw;
	bpf_task_release(w);
	if (vcsw == 0)
		return 0;
	bpf_map_update_elem(&parent_of, &cpid, &ppid, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_process_exec")
__success
int BPF_PROG(exec_grandparent, struct task_struct *p)
{
	struct task_struct *parent, *gp;
	u32 pid = p->pid, gpid = 0;

	bpf_rcu_read_lock();
	parent = p->real_parent;
	if (parent) {
		gp = parent->real_parent;
		if (gp)
			gpid = gp->tgid;
	}
	bpf_rcu_read_unlock();
	if (gpid)
		bpf_map_update_elem(&parent_of, &pid, &gpid, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
