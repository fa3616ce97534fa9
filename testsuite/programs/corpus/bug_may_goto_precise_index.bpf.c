/*
 * bug_may_goto_precise_index.bpf.c - a loop bounded by the kernel instead of by the
 * program: the can_loop idiom of newer bpf_experimental.h (a may_goto instruction in
 * inline assembly) guards a scan over a map value whose length is only known at run
 * time.  may_goto does not make the loop cheap to verify: the counter indexes the
 * array, so it is precise and differs every round, no state converges, and each round
 * leaves a may_goto branch pending until the kernel's 8192-branch limit refuses it.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define can_loop                                                                          \
	({                                                                                \
		__label__ l_break, l_continue;                                            \
		bool ret = true;                                                          \
		asm volatile goto("may_goto %l[l_break]" :: :: l_break);                  \
		goto l_continue;                                                          \
	l_break:                                                                          \
		ret = false;                                                              \
	l_continue:;                                                                      \
		ret;                                                                      \
	})

#define SLOTS 64

struct ring {
	__u32 head;
	__u32 vals[SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ring);
} rings SEC(".maps");

SEC("xdp")
__failure __msg("The sequence of 8193 jumps is too complex.") __at_line(50)
int xdp_ring_scan(struct xdp_md *ctx)
{
	__u32 zero = 0, i = 0, hits = 0;
	struct ring *r = bpf_map_lookup_elem(&rings, &zero);

	if (!r)
		return XDP_PASS;
	while (i < r->head && can_loop) {
		if (r->vals[i & (SLOTS - 1)] == ctx->ingress_ifindex)
			hits++;
		i++;
	}
	return hits > 4 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
