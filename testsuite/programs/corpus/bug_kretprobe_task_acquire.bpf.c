/*
 * bug_kretprobe_task_acquire.bpf.c - counts, per parent process, the children that exit,
 * from a kretprobe on do_exit.  The draft takes a reference on the current task with
 * bpf_task_acquire(): task kfuncs are registered for tracing (tp_btf, fentry), LSM,
 * networking and syscall programs, not for kprobes, and the kernel refuses the call.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, u64);
} exits SEC(".maps");

SEC("kretprobe/do_exit")
__failure __msg("calling kernel function bpf_task_acquire is not allowed") __at_line(31)
int count_exit(struct pt_regs *ctx)
{
	struct task_struct *t;
	u64 one = 1, *n;
	u32 ppid;

	t = bpf_task_acquire(bpf_get_current_task_btf());
	if (!t)
		return 0;
	ppid = t->real_parent->tgid;
	bpf_task_release(t);
	n = bpf_map_lookup_elem(&exits, &ppid);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&exits, &ppid, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
