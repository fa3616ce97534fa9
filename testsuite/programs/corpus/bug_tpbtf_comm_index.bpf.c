/*
 * bug_tpbtf_comm_index.bpf.c - an exec tracer on tp_btf that walks the new task's comm
 * with an index it got from a map, reading p->comm[i] through the BTF pointer.  Kernel
 * objects reached through BTF pointers are read at constant offsets only; a variable index
 * needs bpf_probe_read_kernel() (or a copy of comm first).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32); /* which byte of comm to sample */
} probe_at SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u8);
	__type(value, u64);
} first_chars SEC(".maps");

SEC("tp_btf/sched_process_exec")
__failure __regex("R[0-9] is ptr_task_struct invalid variable offset: off=[0-9]+, var_off=") __at_line(37)
int BPF_PROG(exec_sample, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	u32 zero = 0, *at = bpf_map_lookup_elem(&probe_at, &zero);
	u64 one = 1, *n;
	u8 c;

	if (!at)
		return 0;
	c = p->comm[*at & 15];
	n = bpf_map_lookup_elem(&first_chars, &c);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&first_chars, &c, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
