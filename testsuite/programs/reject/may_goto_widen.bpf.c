/*
 * may_goto_widen.bpf.c - a may_goto loop (the can_loop idiom) the kernel refuses: the count
 * of rounds is compared after the loop with a constant, a branch its known value decides,
 * so the kernel marks it precise; widen_imprecise_scalars() keeps it, every round differs,
 * and each leaves a may_goto branch pending until 8192 of them refuse the program.
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

SEC("xdp")
__failure __msg("The sequence of 8193 jumps is too complex.") __at_line(31)
int xdp_count_words(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data, off = 14, words = 0;

	while (can_loop) {
		if (off >= len)
			break;
		off += 4;
		words++;
	}
	return words > 100 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
