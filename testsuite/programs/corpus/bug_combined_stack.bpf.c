/*
 * bug_combined_stack.bpf.c - a tc classifier with two helper functions kept out of
 * line, each with a 320-byte scratch buffer on its stack, the second called from the
 * first.  Each frame is under 512 bytes, so clang accepts it, but the kernel adds up
 * the frames along the call chain and refuses a combined stack above 512 bytes
 * (tracing programs would get a private stack per frame; tc programs do not).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define BUF 320

static __noinline int payload_sum(struct __sk_buff *skb, __u32 off)
{
	__u8 buf[BUF];
	int sum = 0;

	if (bpf_skb_load_bytes(skb, off, buf, sizeof(buf)) < 0)
		return 0;
	for (int i = 0; i < 16; i++)
		sum += buf[i * 20];
	return sum;
}

static __noinline int header_sum(struct __sk_buff *skb)
{
	__u8 hdr[BUF];

	if (bpf_skb_load_bytes(skb, 0, hdr, sizeof(hdr)) < 0)
		return 0;
	return hdr[0] + hdr[BUF - 1] + payload_sum(skb, BUF);
}

SEC("tc")
__failure __msg("combined stack size of 3 calls is {{[0-9]+}}. Too large")
int tc_sample_sum(struct __sk_buff *skb)
{
	skb->mark = header_sum(skb);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
