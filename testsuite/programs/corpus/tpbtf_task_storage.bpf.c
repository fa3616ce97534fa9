/*
 * tpbtf_task_storage.bpf.c - per-task state in task local storage: the exec tp_btf
 * program creates the storage with bpf_task_storage_get(..., CREATE) and the
 * sched_switch program accumulates on-CPU time in it for the tasks that have it.
 * Models BTF task pointers passed to a storage helper and its nullable result.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct task_acct {
	u64 oncpu_since;
	u64 oncpu_total;
	u32 switches;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_acct);
} acct SEC(".maps");

SEC("tp_btf/sched_process_exec")
__success
int BPF_PROG(acct_exec, struct task_struct *p)
{
	struct task_acct *a;

	a = bpf_task_storage_get(&acct, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (a)
		a->oncpu_since = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sched_switch")
__success
int BPF_PROG(acct_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	u64 now = bpf_ktime_get_ns();
	struct task_acct *a;

	a = bpf_task_storage_get(&acct, prev, 0, 0);
	if (a && a->oncpu_since) {
		a->oncpu_total += now - a->oncpu_since;
		a->switches++;
	}
	a = bpf_task_storage_get(&acct, next, 0, 0);
	if (a)
		a->oncpu_since = now;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
