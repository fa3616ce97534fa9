/*
 * tpbtf_rq_curr_task.bpf.c - the run-queue sampler written without the `runqueues`
 * variable: the tp_btf arguments are BTF pointers, so the next task's run queue is
 * reached through its fields (task->se.cfs_rq->h_nr_queued) and kept in a histogram.
 * The typed __ksym kfunc it calls resolves through kernel BTF like any function.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, u32);
	__type(value, u64);
} cfs_len_hist SEC(".maps");

u64 ticks_per_sec;

SEC("tp_btf/sched_switch")
__success
int BPF_PROG(sample_cfs_len, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct cfs_rq *cfs;
	u32 len = 0;
	u64 *slot;

	if (LINUX_KERNEL_VERSION < KERNEL_VERSION(5, 14, 0))
		return 0;
	ticks_per_sec = CONFIG_HZ;
	bpf_rcu_read_lock();
	cfs = next->se.cfs_rq;
	if (cfs)
		len = cfs->h_nr_queued;
	bpf_rcu_read_unlock();
	if (len >= 64)
		len = 63;
	slot = bpf_map_lookup_elem(&cfs_len_hist, &len);
	if (slot)
		__sync_fetch_and_add(slot, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
