// SPDX-License-Identifier: GPL-2.0
/* task_age.bpf.c - on every context switch, remember the start time of the task leaving
 * the CPU, read with CO-RE so the object loads on kernels with another task_struct. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} start_time SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u32 pid = BPF_CORE_READ(prev, pid);
	__u64 start = BPF_CORE_READ(prev, start_time);

	bpf_map_update_elem(&start_time, &pid, &start, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
