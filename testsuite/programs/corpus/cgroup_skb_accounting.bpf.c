/*
 * cgroup_skb_accounting.bpf.c - per-cgroup traffic accounting with a quota: ingress and
 * egress cgroup_skb programs add skb->len to a per-cgroup counter (spin-lock protected
 * value in a hash map) and drop egress packets once the quota is exceeded.  Models
 * bpf_spin_lock/unlock around map value updates and cgroup_skb's 0/1 return values.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct usage {
	struct bpf_spin_lock lock;
	__u64 rx_bytes;
	__u64 tx_bytes;
	__u64 tx_quota;
	__u32 drops;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct usage);
} cg_usage SEC(".maps");

static struct usage *usage_of(__u64 cgid)
{
	struct usage *u = bpf_map_lookup_elem(&cg_usage, &cgid);
	struct usage fresh = {};

	if (u)
		return u;
	fresh.tx_quota = ~0ULL;
	bpf_map_update_elem(&cg_usage, &cgid, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&cg_usage, &cgid);
}

SEC("cgroup_skb/ingress")
__success
int cg_ingress(struct __sk_buff *skb)
{
	struct usage *u = usage_of(bpf_skb_cgroup_id(skb));

	if (!u)
		return 1;
	bpf_spin_lock(&u->lock);
	u->rx_bytes += skb->len;
	bpf_spin_unlock(&u->lock);
	return 1;
}

SEC("cgroup_skb/egress")
__success
int cg_egress(struct __sk_buff *skb)
{
	struct usage *u = usage_of(bpf_skb_cgroup_id(skb));
	int allow = 1;

	if (!u)
		return 1;
	bpf_spin_lock(&u->lock);
	if (u->tx_bytes + skb->len > u->tx_quota) {
		u->drops++;
		allow = 0;
	} else {
		u->tx_bytes += skb->len;
	}
	bpf_spin_unlock(&u->lock);
	return allow;
}

char LICENSE[] SEC("license") = "GPL";
