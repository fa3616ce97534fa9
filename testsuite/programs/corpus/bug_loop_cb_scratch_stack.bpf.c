/*
 * bug_loop_cb_scratch_stack.bpf.c - a tc program that copies packet chunks into a
 * 256-byte scratch buffer inside its bpf_loop callback while the caller keeps its own
 * 320-byte header copy on the stack.  Each frame is under 512 bytes, but the callback
 * counts as a call from the program: the kernel adds both frames and refuses the
 * combined stack.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define HDR   320
#define CHUNK 256

struct chunk_ctx {
	struct __sk_buff *skb;
	__u32 csum;
};

static long sum_chunk(__u64 i, void *data)
{
	struct chunk_ctx *cc = data;
	__u8 chunk[CHUNK];

	if (bpf_skb_load_bytes(cc->skb, HDR + (__u32)i * CHUNK, chunk, sizeof(chunk)) < 0)
		return 1;
	cc->csum = bpf_csum_diff(0, 0, (__be32 *)chunk, sizeof(chunk), cc->csum);
	return 0;
}

SEC("tc")
__failure __msg("combined stack size of 2 calls is {{[0-9]+}}. Too large")
int tc_payload_csum(struct __sk_buff *skb)
{
	struct chunk_ctx cc = {.skb = skb};
	__u8 hdr[HDR];

	if (bpf_skb_load_bytes(skb, 0, hdr, sizeof(hdr)) < 0)
		return TC_ACT_OK;
	cc.csum = bpf_csum_diff(0, 0, (__be32 *)hdr, sizeof(hdr), 0);
	bpf_loop(4, sum_chunk, &cc, 0);
	skb->mark = cc.csum;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
