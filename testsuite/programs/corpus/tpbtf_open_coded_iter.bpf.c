/*
 * tpbtf_open_coded_iter.bpf.c - open-coded numeric iterators (the bpf_for() idiom of
 * newer libbpf, written out with the bpf_iter_num_* kfuncs) walking a task's ancestry
 * and a per-CPU array, in tp_btf programs.  Models kfunc calls, the iterator state on
 * the stack (new/next/destroy) and loops the kernel bounds by the iterator rather than
 * by the loop counter.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __weak __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __weak __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __weak __ksym;

#define MAX_DEPTH 16
#define NBUCKETS 32

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NBUCKETS);
	__type(key, u32);
	__type(value, u64);
} depth_hist SEC(".maps");

SEC("tp_btf/sched_process_exec")
__success
int BPF_PROG(exec_depth, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_struct *t = p;
	struct bpf_iter_num it;
	u32 depth = 0;
	int *i;
	u64 *c;

	bpf_iter_num_new(&it, 0, MAX_DEPTH);
	while ((i = bpf_iter_num_next(&it))) {
		struct task_struct *parent = t->real_parent;

		if (!parent || parent == t || parent->pid == 0)
			break;
		t = parent;
		depth++;
	}
	bpf_iter_num_destroy(&it);
	c = bpf_map_lookup_elem(&depth_hist, &depth);
	if (c)
		*c += 1;
	return 0;
}

SEC("tp_btf/sched_process_exit")
__success
int BPF_PROG(exit_sum, struct task_struct *p)
{
	struct bpf_iter_num it;
	u64 total = 0;
	int *i;

	bpf_iter_num_new(&it, 0, NBUCKETS);
	while ((i = bpf_iter_num_next(&it))) {
		u32 k = *i;
		u64 *c = bpf_map_lookup_elem(&depth_hist, &k);

		if (c)
			total += *c;
	}
	bpf_iter_num_destroy(&it);
	if (total > 1000000)
		bpf_printk("exit of %d after %llu execs", p->pid, total);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
