/*
 * tpbtf_signal_parent.bpf.c - stops a task's parent when it forks too often (a fork-bomb
 * brake).  The parent is taken from task->real_parent, which the kernel trusts inside an
 * RCU read section (every tp_btf program is in one): bpf_task_acquire() turns it into a
 * referenced task that bpf_send_signal_task() accepts, released afterwards.
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

const volatile u32 max_forks = 64;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, u32);
} forks SEC(".maps");

SEC("tp_btf/task_newtask")
__success
int BPF_PROG(brake_forks, struct task_struct *task, u64 clone_flags)
{
	u32 tgid = task->tgid, one = 1, *n;
	struct task_struct *parent;

	if (clone_flags & 0x00010000) /* CLONE_THREAD */
		return 0;
	n = bpf_map_lookup_elem(&forks, &tgid);
	if (!n) {
		bpf_map_update_elem(&forks, &tgid, &one, BPF_NOEXIST);
		return 0;
	}
	if (__sync_fetch_and_add(n, 1) < max_forks)
		return 0;
	parent = bpf_task_acquire(task->real_parent);
	if (!parent)
		return 0;
	bpf_send_signal_task(parent, 19, PIDTYPE_TGID, 0);
	bpf_task_release(parent);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
