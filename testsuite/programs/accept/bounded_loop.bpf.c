/*
 * bounded_loop.bpf.c - a loop with a constant trip count (kernel 5.3+ verifies bounded
 * loops by exploring them) and bpf_loop with a callback (5.17+).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("socket")
__success
int sum_to_64(struct __sk_buff *skb)
{
	unsigned sum = 0;

	for (int i = 0; i < 64; i++)
		sum += i ^ skb->len;
	return sum & 1;
}

static long add_index(__u64 index, void *ctx)
{
	*(__u64 *)ctx += index;
	return 0;
}

SEC("socket")
__success
int with_bpf_loop(struct __sk_buff *skb)
{
	__u64 total = 0;

	bpf_loop(100, add_index, &total, 0);
	return total & 1;
}

char LICENSE[] SEC("license") = "GPL";
