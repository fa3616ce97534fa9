/*
 * spin_lock_fields_beside.bpf.c - the fields next to a map value's bpf_spin_lock are
 * read and written freely, under the lock and outside it; only the lock word itself is
 * off limits to loads and stores.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct counter {
	__u32 flags;
	struct bpf_spin_lock lock;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");

SEC("tc")
__success
int tc_count(struct __sk_buff *skb)
{
	__u32 key = skb->mark & 15;
	struct counter *c = bpf_map_lookup_elem(&counters, &key);

	if (!c)
		return TC_ACT_OK;
	if (c->flags & 1)
		return TC_ACT_SHOT;
	bpf_spin_lock(&c->lock);
	c->bytes += skb->len;
	bpf_spin_unlock(&c->lock);
	c->flags |= 2;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
