/*
 * bug_rcu_section_early_return.bpf.c - records the parent of each exec'ing task.  The
 * parent pointer is read inside an RCU read section, and the draft returns early when
 * the parent is missing without closing the section.  The kernel refuses an exit with
 * bpf_rcu_read_lock() still held.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, u32);
	__type(value, u32);
} exec_parent SEC(".maps");

SEC("tp_btf/sched_process_exec")
__failure __msg("cannot be used inside bpf_rcu_read_lock-ed region") __at_line(32)
int BPF_PROG(exec_parent_pid, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_struct *parent;
	u32 pid = p->pid, ppid;

	bpf_rcu_read_lock();
	parent = p->real_parent;
	if (!parent)
		return 0;
	ppid = parent->tgid;
	bpf_rcu_read_unlock();
	bpf_map_update_elem(&exec_parent, &pid, &ppid, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
