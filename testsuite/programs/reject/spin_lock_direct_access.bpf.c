/*
 * spin_lock_direct_access.bpf.c - a counter whose "is it busy" check reads the map
 * value's bpf_spin_lock word as if it were an ordinary field.  The kernel refuses any load
 * or store that touches the lock (check_map_access: only bpf_spin_lock()/unlock() may).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct counter {
	struct bpf_spin_lock lock;
	__u32 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");

SEC("tc")
__failure __msg("bpf_spin_lock cannot be accessed directly by load/store") __at_line(35)
int tc_count(struct __sk_buff *skb)
{
	__u32 key = skb->mark & 15;
	struct counter *c = bpf_map_lookup_elem(&counters, &key);

	if (!c)
		return TC_ACT_OK;
	/* "busy" peek at the lock word: refused */
	if (*(volatile __u32 *)&c->lock)
		return TC_ACT_OK;
	bpf_spin_lock(&c->lock);
	c->packets++;
	c->bytes += skb->len;
	bpf_spin_unlock(&c->lock);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
