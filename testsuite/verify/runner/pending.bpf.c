/* Runner self-test: the kernel rejects it as expected, bpfcc does not detect the rule yet
 * and the program says so -> PENDING, a skip (exit 77), never a pass. */
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
__bpfcc_xfail("stack depth limit of subprograms that tail-call")
int deep(struct __sk_buff *skb)
{
	volatile char buf[320];

	buf[skb->len & 255] = 1;
	return dispatch(skb) + buf[7];
}

char LICENSE[] SEC("license") = "GPL";
