/*
 * may_goto_widen.bpf.c - loops bounded by may_goto (the can_loop idiom of newer
 * bpf_experimental.h) whose counters the kernel forgets between rounds.  At may_goto the
 * kernel explores the jump out of the loop first and queues the body with a deeper
 * may_goto depth, widening the scalars it has not marked precise
 * (widen_imprecise_scalars()).  A counter compared only with a value the verifier does
 * not know (the branch goes both ways) is never marked precise, so the second round
 * covers every later one and the loop converges.
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

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} words_seen SEC(".maps");

/* the step grows each round and is compared with a clock value: undecided every time */
SEC("xdp")
__success
int xdp_step_until_clock(struct xdp_md *ctx)
{
	__u64 t = bpf_ktime_get_ns();
	__u32 step = 190, zero = 0;
	__u32 *seen;

	while (can_loop) {
		if ((__s32)t <= (__s32)step)
			break;
		step += 11;
	}
	seen = bpf_map_lookup_elem(&words_seen, &zero);
	if (seen)
		*seen = step;
	return XDP_PASS;
}

/* the offset walks the packet length (undecided), the count is only stored */
SEC("xdp")
__success
int xdp_scan_len(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data, off = 14, words = 0, zero = 0;
	__u32 *seen;

	while (can_loop) {
		if (off >= len)
			break;
		off += 4;
		words++;
	}
	seen = bpf_map_lookup_elem(&words_seen, &zero);
	if (seen)
		*seen = words;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
