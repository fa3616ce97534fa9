/*
 * bug_loop_callback_return.bpf.c - a bpf_loop callback that returns -1 on error, as C
 * functions usually do.  bpf_loop callbacks must return 0 (continue) or 1 (stop); the
 * kernel checks the callback's R0 range at its exit and refuses anything else.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct sum_ctx {
	struct __sk_buff *skb;
	__u32 sum;
};

static long add_word(__u64 i, void *data)
{
	struct sum_ctx *c = data;
	__u16 w;

	if (bpf_skb_load_bytes(c->skb, 14 + (__u32)i * 2, &w, sizeof(w)))
		return -1;
	c->sum += w;
	return 0;
}

SEC("tc")
__failure __msg("At callback return the register R0 has {{.*}}should have been in [0, 1]") __at_line(22)
int tc_sum_header(struct __sk_buff *skb)
{
	struct sum_ctx c = {.skb = skb};

	bpf_loop(10, add_word, &c, 0);
	skb->mark = c.sum;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
