/*
 * bug_weak_kfunc_unguarded.bpf.c - the first draft of tc_weak_kfunc_fallback: the kfunc
 * is declared __weak so that the object loads on kernels without it, but the call is not
 * guarded by a test of the function's address.  libbpf leaves the missing kfunc's call
 * with id 0, which the verifier steps over without writing r0: the result read after it
 * is an uninitialised register.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

extern __u32 bpf_skb_flow_weight(struct __sk_buff *skb, __u32 buckets) __ksym __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} bucket_bytes SEC(".maps");

SEC("tc")
__failure __msg("R0 !read_ok") __at_line(31)
int classify_weighted(struct __sk_buff *skb)
{
	__u32 bucket = 0;
	__u64 *bytes;

	if (skb->len > 64)
		bucket = bpf_skb_flow_weight(skb, 16) & 15;
	bytes = bpf_map_lookup_elem(&bucket_bytes, &bucket);
	if (bytes)
		__sync_fetch_and_add(bytes, skb->len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
