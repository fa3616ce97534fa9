/*
 * bug_unlock_without_lock.bpf.c - a per-flow sampler whose "already sampled" shortcut jumps
 * to the common exit, which releases the flow's spin lock, before the lock was taken.
 * The kernel tracks the lock along each path and refuses the unlock on the shortcut.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct flow {
	__u32 sampled;
	struct bpf_spin_lock lock;
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct flow);
} flows SEC(".maps");

SEC("tc")
__failure __msg("bpf_spin_unlock without taking a lock") __at_line(43)
int tc_sample(struct __sk_buff *skb)
{
	__u32 key = skb->hash;
	struct flow *f = bpf_map_lookup_elem(&flows, &key);

	if (!f)
		return TC_ACT_OK;
	if (f->sampled)
		goto out;
	bpf_spin_lock(&f->lock);
	f->packets++;
	f->bytes += skb->len;
	if (f->packets > 1000)
		f->sampled = 1;
out:
	bpf_spin_unlock(&f->lock);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
