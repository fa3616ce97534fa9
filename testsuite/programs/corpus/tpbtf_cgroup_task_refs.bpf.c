/*
 * tpbtf_cgroup_task_refs.bpf.c - kfunc references used correctly in tp_btf programs:
 * the top-level cgroup of a task that moves (bpf_cgroup_ancestor, released on every
 * path), the current task pinned with bpf_task_acquire while its parent is inspected,
 * a cpumask built for the CPUs a waking task ran on (bpf_cpumask_create / release), and
 * a parent lookup under an RCU read section closed on every path.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct cgroup *bpf_cgroup_ancestor(struct cgroup *cgrp, int level) __ksym;
extern void bpf_cgroup_release(struct cgroup *cgrp) __ksym;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern struct bpf_cpumask *bpf_cpumask_create(void) __ksym;
extern void bpf_cpumask_release(struct bpf_cpumask *cpumask) __ksym;
extern void bpf_cpumask_set_cpu(u32 cpu, struct bpf_cpumask *cpumask) __ksym;
extern u32 bpf_cpumask_weight(const struct cpumask *cpumask) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

const volatile u64 ignored_cgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, u64);
} counters SEC(".maps");

static __always_inline void bump(u64 key)
{
	u64 one = 1, *cnt = bpf_map_lookup_elem(&counters, &key);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&counters, &key, &one, BPF_NOEXIST);
}

SEC("tp_btf/cgroup_attach_task")
__success
int BPF_PROG(count_moves, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	struct cgroup *top;
	u64 id;

	top = bpf_cgroup_ancestor(dst, 1);
	if (!top)
		return 0;
	id = top->kn->id;
	bpf_cgroup_release(top);
	if (id == ignored_cgid)
		return 0;
	bump(id);
	return 0;
}

SEC("tp_btf/sched_process_fork")
__success
int BPF_PROG(fork_from_parent, struct task_struct *parent, struct task_struct *child)
{
	struct task_struct *cur;
	u64 key;

	cur = bpf_task_acquire(parent);
	if (!cur)
		return 0;
	key = ((u64)cur->tgid << 32) | 1;
	if (cur->flags & 0x00200000 /* PF_KTHREAD */) {
		bpf_task_release(cur);
		return 0;
	}
	bpf_task_release(cur);
	bump(key);
	return 0;
}

SEC("tp_btf/sched_wakeup")
__success
int BPF_PROG(wakeup_cpus, struct task_struct *p)
{
	struct bpf_cpumask *mask;
	u32 n;

	mask = bpf_cpumask_create();
	if (!mask)
		return 0;
	bpf_cpumask_set_cpu(p->wake_cpu & 63, mask);
	bpf_cpumask_set_cpu(bpf_get_smp_processor_id() & 63, mask);
	n = bpf_cpumask_weight((const struct cpumask *)mask);
	bpf_cpumask_release(mask);
	bump(2 + n);
	return 0;
}

SEC("tp_btf/sched_process_exec")
__success
int BPF_PROG(exec_parent_pid, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_struct *parent;
	u64 key = 0;

	bpf_rcu_read_lock();
	parent = p->real_parent;
	if (!parent) {
		bpf_rcu_read_unlock();
		return 0;
	}
	key = (u64)parent->tgid << 32;
	bpf_rcu_read_unlock();
	bump(key);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
