/*
 * bug_cgroup_ancestor_leak.bpf.c - counts task migrations into each top-level cgroup.
 * bpf_cgroup_ancestor() returns a referenced cgroup; the draft releases it after
 * counting but returns early, still holding it, when the ancestor is the root's direct
 * child the program was told to ignore.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

extern struct cgroup *bpf_cgroup_ancestor(struct cgroup *cgrp, int level) __ksym;
extern void bpf_cgroup_release(struct cgroup *cgrp) __ksym;

const volatile u64 ignored_cgid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, u64);
} moves_per_slice SEC(".maps");

SEC("tp_btf/cgroup_attach_task")
__failure __msg("Unreleased reference id={{[0-9]+}} alloc_insn={{[0-9]+}}") __at_line(27)
int BPF_PROG(count_moves, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	struct cgroup *top;
	u64 id, one = 1, *cnt;

	top = bpf_cgroup_ancestor(dst, 1);
	if (!top)
		return 0;
	id = top->kn->id;
	if (id == ignored_cgid)
		return 0;
	cnt = bpf_map_lookup_elem(&moves_per_slice, &id);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&moves_per_slice, &id, &one, BPF_NOEXIST);
	bpf_cgroup_release(top);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
