/*
 * kprobe_exit_parents.bpf.c - counts, per parent process, the children that exit, from a
 * kprobe on do_exit.  The current task comes from bpf_get_current_task_btf() (trusted);
 * its real_parent is read directly (kprobes run inside an RCU read section), no task
 * kfunc needed.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u32);
	__type(value, u64);
} exits SEC(".maps");

SEC("kprobe/do_exit")
__success
int count_exit(struct pt_regs *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();
	u32 ppid = t->real_parent->tgid;
	u64 one = 1, *n;

	n = bpf_map_lookup_elem(&exits, &ppid);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&exits, &ppid, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
