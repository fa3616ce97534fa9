/*
 * bug_loop_callback_counters.bpf.c - the first draft of callback_bpf_loop.bpf.c: the
 * bpf_loop callback counts bytes in fields of a context struct on the caller's stack.
 * The kernel verifies a callback as a loop body run an unknown number of times and
 * compares the states across rounds exactly; counters that are known constants differ
 * every round, so the iteration never converges and the verifier gives up after a
 * million instructions.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define SCAN_MAX 256

struct scan_ctx {
	struct __sk_buff *skb;
	__u32 start;
	__u32 zeros;
	__u32 nonascii;
};

static long scan_byte(__u64 i, void *data)
{
	struct scan_ctx *sc = data;
	__u8 b;

	if (bpf_skb_load_bytes(sc->skb, sc->start + (__u32)i, &b, 1) < 0)
		return 1;
	if (b == 0)
		sc->zeros++;
	else if (b & 0x80)
		sc->nonascii++;
	return 0;
}

SEC("tc")
__failure __msg("BPF program is too large. Processed 1000001 insn")
__at_line(36)
__bpfcc_xfail("bpfcc keeps the compared counter exact across rounds as the kernel does, but its rounds end after 40K insns: the kernel evicts the in-flight states at the call and re-walks rounds from pending branches (6.18 prunes inside the callback with per-callchain stack liveness, which bpfcc does not model)")
int tc_payload_scan(struct __sk_buff *skb)
{
	struct scan_ctx sc = {.skb = skb, .start = 54};
	__u32 n;

	if (skb->len <= sc.start)
		return TC_ACT_OK;
	n = skb->len - sc.start;
	if (n > SCAN_MAX)
		n = SCAN_MAX;
	bpf_loop(n, scan_byte, &sc, 0);
	return sc.nonascii > n / 2 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
