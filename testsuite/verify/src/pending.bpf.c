/* The kernel refuses this program (a hash map handed to bpf_ringbuf_output: check_map_func_
 * compatibility's "cannot pass map_type 1 into func bpf_ringbuf_output#130") and bpfcc does
 * not check which map types each helper takes yet, so the two disagree.  When bpfcc learns
 * the rule, testsuite/verify needs another disagreement. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} events SEC(".maps");

SEC("socket")
int wrong_map(struct __sk_buff *skb)
{
	__u64 len = skb->len;

	bpf_ringbuf_output(&events, &len, sizeof(len), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
