/*
 * tpbtf_iter_lookup.bpf.c - an open-coded numeric iterator that looks each index up in
 * an array map and stops at the first entry matching the current uid, destroying the
 * iterator on both the found and the exhausted path (bug_iter_no_destroy.bpf.c is the
 * draft that forgot it).  Models iterator loops whose body's state repeats from one
 * round to the next: the kernel converges on them through the iterator's own state.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __weak __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __weak __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __weak __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, u32);
	__type(value, u32);
} watched_uids SEC(".maps");

SEC("tp_btf/sched_process_exec")
__success
int BPF_PROG(exec_uid_watch, struct task_struct *p)
{
	u32 uid = (u32)bpf_get_current_uid_gid();
	struct bpf_iter_num it;
	bool found = false;
	int *i;

	bpf_iter_num_new(&it, 0, 16);
	while ((i = bpf_iter_num_next(&it))) {
		u32 k = *i, *w = bpf_map_lookup_elem(&watched_uids, &k);

		if (w && *w == uid) {
			found = true;
			break;
		}
	}
	bpf_iter_num_destroy(&it);
	if (found)
		bpf_printk("watched uid %u exec %d", uid, p->pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
