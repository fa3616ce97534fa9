/* The kernel refuses this program (a subprogram that tail-calls, called while its callers
 * already use 320 bytes of stack: "tail_calls are not allowed when call stack of previous
 * frames is %d bytes. Too large") and bpfcc does not check that limit yet, so the two
 * disagree.  When bpfcc learns the rule, testsuite/verify needs another disagreement. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

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
int deep(struct __sk_buff *skb)
{
	volatile char buf[320];

	buf[skb->len & 255] = 1;
	return dispatch(skb) + buf[7];
}

char LICENSE[] SEC("license") = "GPL";
