/*
 * hist_slot_clamped.bpf.c - the corrected block I/O latency histogram: the slot is
 * clamped to MAX_SLOTS - 1 before it indexes the map value, and the per-CPU counters are
 * looked up with a constant key.  Accepted.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define MAX_SLOTS 27

struct rq_issue_args {
	unsigned long long common;
	unsigned int dev;
	unsigned long long sector;
	unsigned int nr_sector;
};

struct hist {
	__u64 slots[MAX_SLOTS];
};

struct counters {
	__u64 completed;
	__u64 missed;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u64);
	__type(value, __u64);
} issued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} lat_hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counters);
} stats SEC(".maps");

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

	while (v > 1 && r < 64) {
		v >>= 1;
		r++;
	}
	return r;
}

SEC("tracepoint/block/block_rq_issue")
__success
int rq_issue(struct rq_issue_args *ctx)
{
	__u64 sector = ctx->sector, ts = bpf_ktime_get_ns();

	bpf_map_update_elem(&issued, &sector, &ts, BPF_ANY);
	return 0;
}

SEC("tracepoint/block/block_rq_complete")
__success
int rq_complete(struct rq_issue_args *ctx)
{
	__u64 sector = ctx->sector, *tsp, delta;
	__u32 zero = 0, slot;
	struct counters *c;
	struct hist *h;

	c = bpf_map_lookup_elem(&stats, &zero);
	if (!c)
		return 0;
	tsp = bpf_map_lookup_elem(&issued, &sector);
	if (!tsp) {
		c->missed++;
		return 0;
	}
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	bpf_map_delete_elem(&issued, &sector);
	h = bpf_map_lookup_elem(&lat_hist, &zero);
	if (!h)
		return 0;
	slot = log2_u64(delta);
	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	__sync_fetch_and_add(&h->slots[slot], 1);
	c->completed++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
