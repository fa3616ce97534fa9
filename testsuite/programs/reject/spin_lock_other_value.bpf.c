/*
 * spin_lock_other_value.bpf.c - bpf_spin_unlock must release the lock of the map value
 * that was locked: two lookups give two values (two ids, even for the same key), and
 * unlocking the other one is refused ("bpf_spin_unlock of different lock"); unlocking
 * through a copy of the locked pointer is fine.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct counter {
	__u64 hits;
	struct bpf_spin_lock lock;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");

SEC("tc")
__failure __msg("bpf_spin_unlock of different lock") __at_line(38)
int unlock_other_value(struct __sk_buff *skb)
{
	__u32 in = skb->ifindex, out = skb->ingress_ifindex;
	struct counter *a, *b;

	a = bpf_map_lookup_elem(&counters, &in);
	if (!a)
		return 0;
	b = bpf_map_lookup_elem(&counters, &out);
	if (!b)
		return 0;
	bpf_spin_lock(&a->lock);
	a->hits++;
	bpf_spin_unlock(&b->lock);
	return 0;
}

SEC("tc")
__success
int unlock_same_value(struct __sk_buff *skb)
{
	__u32 in = skb->ifindex;
	struct counter *a, *copy;

	a = bpf_map_lookup_elem(&counters, &in);
	if (!a)
		return 0;
	copy = a;
	bpf_spin_lock(&a->lock);
	a->hits++;
	bpf_spin_unlock(&copy->lock);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
