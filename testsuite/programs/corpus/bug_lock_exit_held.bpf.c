/*
 * bug_lock_exit_held.bpf.c - a token bucket update that returns early on the "no
 * tokens" path while still holding the bucket's bpf_spin_lock.  The kernel refuses an
 * exit from inside a locked region.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct bucket {
	struct bpf_spin_lock lock;
	__u32 tokens;
	__u32 drops;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bucket);
} xdp_bucket SEC(".maps");

SEC("xdp")
__failure __msg("bpf_spin_lock-ed region") __at_line(41)
int xdp_police(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct bucket *b = bpf_map_lookup_elem(&xdp_bucket, &zero);

	if (!b)
		return XDP_PASS;
	bpf_spin_lock(&b->lock);
	if (b->tokens == 0) {
		b->drops++;
		return XDP_DROP;
	}
	b->tokens--;
	bpf_spin_unlock(&b->lock);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
