/*
 * bug_signal_parent_untrusted.bpf.c - stops a freshly forked task's parent when the
 * parent forks too often (a fork-bomb brake).  The draft signals task->parent directly:
 * a pointer read from a field of the task is not one the kernel vouches for (only fields
 * it lists, such as real_parent or group_leader inside an RCU section, are), and
 * bpf_send_signal_task() takes trusted tasks only.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

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
__failure __msg("R1 must be referenced or trusted") __at_line(42)
int BPF_PROG(brake_forks, struct task_struct *task, u64 clone_flags)
{
	u32 tgid = task->tgid, one = 1, *n;

	if (clone_flags & 0x00010000) /* CLONE_THREAD */
		return 0;
	n = bpf_map_lookup_elem(&forks, &tgid);
	if (!n) {
		bpf_map_update_elem(&forks, &tgid, &one, BPF_NOEXIST);
		return 0;
	}
	if (__sync_fetch_and_add(n, 1) < max_forks)
		return 0;
	/* SIGSTOP the parent */
	bpf_send_signal_task(task->parent, 19, PIDTYPE_TGID, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
