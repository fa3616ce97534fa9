/*
 * tc_locked_counters.bpf.c - a per-class token bucket and byte counters updated under the
 * value's bpf_spin_lock: the time is taken before the lock, the section only computes and
 * stores, every path out of it unlocks, and a cgroup_skb egress program signals congestion
 * (return 2/3) from the same locked state.  Spin locks used as the kernel allows.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct bucket {
	__u64 tokens;
	struct bpf_spin_lock lock;
	__u64 last_ns;
	__u64 dropped;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct bucket);
} buckets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct bucket);
} cgroup_buckets SEC(".maps");

#define RATE_BYTES_PER_MS 1250
#define BURST             (64 * 1024)

static __always_inline int take(struct bucket *b, __u64 now, __u32 len)
{
	int ok;

	bpf_spin_lock(&b->lock);
	b->tokens += (now - b->last_ns) / 1000000 * RATE_BYTES_PER_MS;
	if (b->tokens > BURST)
		b->tokens = BURST;
	b->last_ns = now;
	ok = b->tokens >= len;
	if (ok)
		b->tokens -= len;
	else
		b->dropped++;
	bpf_spin_unlock(&b->lock);
	return ok;
}

SEC("tc")
__success
int tc_police(struct __sk_buff *skb)
{
	__u32 class = skb->priority & 63;
	struct bucket *b = bpf_map_lookup_elem(&buckets, &class);
	__u64 now = bpf_ktime_get_ns();

	if (!b)
		return TC_ACT_OK;
	return take(b, now, skb->len) ? TC_ACT_OK : TC_ACT_SHOT;
}

SEC("cgroup_skb/egress")
__success
int cg_egress_police(struct __sk_buff *skb)
{
	__u64 cg = bpf_skb_cgroup_id(skb), now = bpf_ktime_get_ns();
	struct bucket *b = bpf_map_lookup_elem(&cgroup_buckets, &cg);

	if (!b)
		return 1;
	/* 1: pass; 3: pass and mark congestion (tcp backs off) */
	return take(b, now, skb->len) ? 1 : 3;
}

char LICENSE[] SEC("license") = "GPL";
