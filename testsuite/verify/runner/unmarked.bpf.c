/* Runner self-test: the kernel rejects it, bpfcc accepts it and nothing marks the rule as
 * pending -> FAIL, exit 1. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfcc/expect.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jumps SEC(".maps");

static __attribute__((noinline)) int dispatch(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &jumps, 0);
	return 0;
}

SEC("socket")
__failure __msg("Too large")
int deep(struct __sk_buff *skb)
{
	volatile char buf[320];

	buf[skb->len & 255] = 1;
	return dispatch(skb) + buf[7];
}

char LICENSE[] SEC("license") = "GPL";
