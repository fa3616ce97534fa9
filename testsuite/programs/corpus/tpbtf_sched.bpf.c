/*
 * tpbtf_sched.bpf.c - BTF-typed tracepoints: tp_btf programs read task_struct fields by
 * plain dereference (PTR_TO_BTF_ID, the kernel turns faults into zeros) and count
 * context switches per pid in a per-CPU hash.  Models trusted BTF pointer loads without
 * bpf_probe_read.
 */
// bpfcc-flags: -O2 -g -mcpu=v4
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct switch_stat {
	u64 count;
	u64 involuntary;
	u64 last_prio;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 8192);
	__type(key, u32);
	__type(value, struct switch_stat);
} switches SEC(".maps");

SEC("tp_btf/sched_switch")
__success
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	u32 pid = prev->pid;
	struct switch_stat *s, init = {};

	if (!pid)
		return 0;
	s = bpf_map_lookup_elem(&switches, &pid);
	if (!s) {
		bpf_map_update_elem(&switches, &pid, &init, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&switches, &pid);
		if (!s)
			return 0;
	}
	s->count++;
	if (preempt)
		s->involuntary++;
	s->last_prio = next->prio;
	return 0;
}

SEC("tp_btf/sched_process_fork")
__success
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	if (child->flags & 0x00200000 /* PF_KTHREAD */)
		return 0;
	bpf_printk("fork %d -> %d (%s)", parent->tgid, child->pid, child->comm);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
