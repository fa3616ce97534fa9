/* The kernel refuses this program (a ring buffer reservation is never submitted or
 * discarded: "Unreleased reference") and bpfcc does not track references yet, so the two
 * disagree.  When bpfcc learns the rule, testsuite/verify needs another disagreement. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("socket")
int leak(struct __sk_buff *skb)
{
	long *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	*e = skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
