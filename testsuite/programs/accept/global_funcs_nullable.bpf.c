/*
 * global_funcs_nullable.bpf.c - global functions that test their pointer arguments
 * before use, and one taking the program's context (never NULL);
 * the kernel verifies each once from its prototype and the callers get an unknown
 * number back.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct flow_rec {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct flow_rec);
} flows SEC(".maps");

__noinline int flow_account(struct flow_rec *f, __u32 len)
{
	if (!f)
		return -1;
	f->packets++;
	f->bytes += len;
	return 0;
}

__noinline int skb_len_class(struct __sk_buff *skb)
{
	if (skb->len > 1500)
		return 2;
	return skb->len > 64;
}

__noinline int flow_reset(struct flow_rec *f)
{
	if (!f)
		return 0;
	f->packets = 0;
	f->bytes = 0;
	return 1;
}

SEC("tc")
__success
int tc_account(struct __sk_buff *skb)
{
	__u32 key = skb->ifindex;
	struct flow_rec *f = bpf_map_lookup_elem(&flows, &key);
	struct flow_rec local = {};

	if (flow_account(f, skb->len) < 0)
		flow_account(&local, skb->len);
	if (skb_len_class(skb) == 2)
		flow_reset(f);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
