/*
 * trace_runqlat.bpf.c - run-queue latency histogram from raw tracepoints: wakeup time
 * per pid in a hash map, a log2 slot computed by a bounded loop at sched_switch, and
 * per-cgroup histograms in a hash map of fixed-size arrays.  Models raw_tp argument
 * access (BPF_PROG over the u64 array), CO-RE reads of task fields and an index
 * clamped before it addresses a map value.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpfcc/expect.h>

#define MAX_SLOTS 26

struct hist {
	u32 slots[MAX_SLOTS];
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} wakeup_ts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);
	__type(value, struct hist);
} hists SEC(".maps");

static struct hist initial_hist;

static __always_inline u64 log2_u32(u32 v)
{
	u32 shift, r;

	r = (v > 0xFFFF) << 4;
	v >>= r;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline u64 log2l(u64 v)
{
	u32 hi = v >> 32;

	return hi ? log2_u32(hi) + 32 : log2_u32(v);
}

static __always_inline int record_wakeup(struct task_struct *p)
{
	u32 pid = BPF_CORE_READ(p, pid);
	u64 ts = bpf_ktime_get_ns();

	if (!pid)
		return 0;
	bpf_map_update_elem(&wakeup_ts, &pid, &ts, BPF_ANY);
	return 0;
}

SEC("raw_tp/sched_wakeup")
__success
int BPF_PROG(rq_wakeup, struct task_struct *p)
{
	return record_wakeup(p);
}

SEC("raw_tp/sched_wakeup_new")
__success
int BPF_PROG(rq_wakeup_new, struct task_struct *p)
{
	return record_wakeup(p);
}

SEC("raw_tp/sched_switch")
__success
int BPF_PROG(rq_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	u32 pid = BPF_CORE_READ(next, pid);
	u64 *tsp, delta, slot, cg;
	struct hist *h;

	if (BPF_CORE_READ(prev, __state) == 0)
		record_wakeup(prev);
	tsp = bpf_map_lookup_elem(&wakeup_ts, &pid);
	if (!tsp)
		return 0;
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	cg = bpf_get_current_cgroup_id();
	h = bpf_map_lookup_elem(&hists, &cg);
	if (!h) {
		bpf_map_update_elem(&hists, &cg, &initial_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &cg);
		if (!h)
			goto cleanup;
		BPF_CORE_READ_STR_INTO(&h->comm, next, comm);
	}
	slot = log2l(delta);
	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
cleanup:
	bpf_map_delete_elem(&wakeup_ts, &pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
