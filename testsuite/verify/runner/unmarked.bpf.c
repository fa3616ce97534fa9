/* Runner self-test: the kernel rejects it, bpfcc accepts it and nothing marks the rule as
 * pending -> FAIL, exit 1. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfcc/expect.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} events SEC(".maps");

SEC("socket")
__failure __msg("cannot pass map_type 1 into func bpf_ringbuf_output")
int wrong_map(struct __sk_buff *skb)
{
	__u64 len = skb->len;

	bpf_ringbuf_output(&events, &len, sizeof(len), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
