/*
 * skmsg_cgroup_direct.bpf.c - direct data access outside tc/XDP: an sk_msg program
 * pulls the first bytes of a message into the linear area with bpf_msg_pull_data and
 * drops messages starting with a forbidden prefix, and a cgroup_skb program reads the
 * IPv4 header straight from skb->data.  Models msg->data/data_end and cgroup_skb's
 * direct packet access (read only).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} ttl_seen SEC(".maps");

SEC("sk_msg")
__success
int msg_prefix_guard(struct sk_msg_md *msg)
{
	void *data, *data_end;
	__u8 *p;

	if (msg->size < 4)
		return SK_PASS;
	if (bpf_msg_pull_data(msg, 0, 4, 0))
		return SK_PASS;
	data = msg->data;
	data_end = msg->data_end;
	p = data;
	if ((void *)(p + 4) > data_end)
		return SK_PASS;
	if (p[0] == 'Q' && p[1] == 'U' && p[2] == 'I' && p[3] == 'T')
		return SK_DROP;
	return SK_PASS;
}

SEC("cgroup_skb/ingress")
__success
int cg_ttl_census(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *iph = data;
	__u32 ttl;
	__u64 *cnt;

	if (skb->protocol != __builtin_bswap16(0x0800))
		return 1;
	if ((void *)(iph + 1) > data_end)
		return 1;
	ttl = iph->ttl;
	cnt = bpf_map_lookup_elem(&ttl_seen, &ttl);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
