/*
 * bug_iter_no_destroy.bpf.c - an open-coded numeric iterator whose loop returns from
 * the middle when it finds what it looks for, skipping bpf_iter_num_destroy.  The
 * iterator state is a reference the kernel tracks like any acquired object; an exit
 * while it is still live is refused.
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
__failure __msg("BPF_EXIT instruction in main prog would lead to reference leak") __at_line(26)
int BPF_PROG(exec_uid_watch, struct task_struct *p)
{
	u32 uid = (u32)bpf_get_current_uid_gid();
	struct bpf_iter_num it;
	int *i;

	bpf_iter_num_new(&it, 0, 16);
	while ((i = bpf_iter_num_next(&it))) {
		u32 k = *i, *w = bpf_map_lookup_elem(&watched_uids, &k);

		if (w && *w == uid) {
			bpf_printk("watched uid %u exec %d", uid, p->pid);
			return 0;
		}
	}
	bpf_iter_num_destroy(&it);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
