/*
 * tc_weak_kfunc_fallback.bpf.c - a classifier written for several kernels: it prefers a
 * kfunc that newer kernels export and falls back to plain arithmetic where the kfunc is
 * missing.  The kfunc is declared __weak, so libbpf loads the object anyway and resolves
 * the missing function's address to 0; the verifier sees the guard as a constant and
 * drops the call.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

/* not in 6.18: a stand-in for a kfunc of a later kernel */
extern __u32 bpf_skb_flow_weight(struct __sk_buff *skb, __u32 buckets) __ksym __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} bucket_bytes SEC(".maps");

SEC("tc")
__success
int classify_weighted(struct __sk_buff *skb)
{
	__u32 bucket;
	__u64 *bytes;

	if (bpf_skb_flow_weight)
		bucket = bpf_skb_flow_weight(skb, 16);
	else
		bucket = (skb->hash ^ skb->len) & 15;
	bytes = bpf_map_lookup_elem(&bucket_bytes, &bucket);
	if (bytes)
		__sync_fetch_and_add(bytes, skb->len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
