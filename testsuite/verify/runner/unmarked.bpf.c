/* Runner self-test: the kernel rejects it, bpfcc accepts it and nothing marks the rule as
 * pending -> FAIL, exit 1. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfcc/expect.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("socket")
__failure __msg("reference leak")
int leak(struct __sk_buff *skb)
{
	long *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	*e = skb->len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
