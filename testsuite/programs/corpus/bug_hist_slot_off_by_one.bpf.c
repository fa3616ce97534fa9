/*
 * bug_hist_slot_off_by_one.bpf.c - a block I/O latency histogram whose slot is clamped
 * to MAX_SLOTS instead of MAX_SLOTS - 1: the largest slot indexes one past the array in
 * the map value.  The kernel checks the largest possible offset of the access against
 * the value size and refuses the program.
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
__failure __msg("invalid access to map value, value_size=216 off=216 size=8") __at_line(79)
int rq_complete(struct rq_issue_args *ctx)
{
	__u64 sector = ctx->sector, *tsp, delta;
	__u32 zero = 0, slot;
	struct hist *h;

	tsp = bpf_map_lookup_elem(&issued, &sector);
	if (!tsp)
		return 0;
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	bpf_map_delete_elem(&issued, &sector);
	h = bpf_map_lookup_elem(&lat_hist, &zero);
	if (!h)
		return 0;
	slot = log2_u64(delta);
	if (slot > MAX_SLOTS)
		slot = MAX_SLOTS;
	__sync_fetch_and_add(&h->slots[slot], 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
