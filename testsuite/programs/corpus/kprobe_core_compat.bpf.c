/*
 * kprobe_core_compat.bpf.c - a kprobe that adapts to the running kernel with CO-RE:
 * bpf_core_field_exists picks between task_struct->__state and the older ->state, and
 * bpf_core_type_exists guards an optional structure.  Models the verifier seeing only
 * the branch the loader resolved (the other is dead code it never walks).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpfcc/expect.h>

struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} state_counts SEC(".maps");

static __always_inline long task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return BPF_CORE_READ(t, __state);
	return BPF_CORE_READ((struct task_struct___old *)t, state);
}

SEC("kprobe/finish_task_switch.isra.0")
__success
int BPF_KPROBE(switch_state, struct task_struct *prev)
{
	long st = task_state(prev);
	u32 idx = st == 0 ? 0 : st == 1 ? 1 : st == 2 ? 2 : 3;
	u64 *c = bpf_map_lookup_elem(&state_counts, &idx);

	if (c)
		__sync_fetch_and_add(c, 1);
	return 0;
}

SEC("kprobe/do_unlinkat")
__success
int BPF_KPROBE(unlink_probe, int dfd, struct filename *name)
{
	char buf[64];
	const char *p;

	p = BPF_CORE_READ(name, name);
	if (bpf_probe_read_kernel_str(buf, sizeof(buf), p) < 0)
		return 0;
	if (bpf_core_type_exists(struct bpf_iter__task))
		bpf_printk("unlink %s (iterators available)", buf);
	else
		bpf_printk("unlink %s", buf);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
