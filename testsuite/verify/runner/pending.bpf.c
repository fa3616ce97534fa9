/* Runner self-test: the kernel rejects it as expected, bpfcc does not detect the rule yet
 * and the program says so -> PENDING, a skip (exit 77), never a pass. */
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
__bpfcc_xfail("which map types each helper takes (check_map_func_compatibility)")
int wrong_map(struct __sk_buff *skb)
{
	__u64 len = skb->len;

	bpf_ringbuf_output(&events, &len, sizeof(len), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
