/*
 * bpf2bpf_out_params.bpf.c - cilium-style code structure: static non-inlined functions
 * that parse into a struct on the caller's stack through a pointer, return a status,
 * and pass the context and packet pointers down the call chain.  Models bpf-to-bpf
 * calls with stack pointers into the caller's frame, packet pointers as arguments and
 * return values checked by the caller.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define DROP_INVALID -134
#define DROP_UNSUPPORTED -135

struct tuple4 {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct tuple4);
	__type(value, __u64);
} ct SEC(".maps");

static __noinline int parse_l4(void *l4, void *data_end, struct tuple4 *t)
{
	if (t->proto == IPPROTO_TCP) {
		struct tcphdr *th = l4;

		if ((void *)(th + 1) > data_end)
			return DROP_INVALID;
		t->sport = th->source;
		t->dport = th->dest;
		return 0;
	}
	if (t->proto == IPPROTO_UDP) {
		struct udphdr *uh = l4;

		if ((void *)(uh + 1) > data_end)
			return DROP_INVALID;
		t->sport = uh->source;
		t->dport = uh->dest;
		return 0;
	}
	return DROP_UNSUPPORTED;
}

static __noinline int parse_ipv4(struct __sk_buff *skb, struct tuple4 *t)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct iphdr *iph = data + ETH_HLEN;

	if ((void *)(iph + 1) > data_end)
		return DROP_INVALID;
	if (iph->ihl != 5)
		return DROP_UNSUPPORTED;
	t->saddr = iph->saddr;
	t->daddr = iph->daddr;
	t->proto = iph->protocol;
	return parse_l4(iph + 1, data_end, t);
}

static __noinline __u64 ct_touch(const struct tuple4 *t, __u32 len)
{
	__u64 *bytes = bpf_map_lookup_elem(&ct, t);
	__u64 init = len;

	if (bytes)
		return __sync_fetch_and_add(bytes, len) + len;
	bpf_map_update_elem(&ct, t, &init, BPF_NOEXIST);
	return len;
}

SEC("tc")
__success
int tc_conntrack(struct __sk_buff *skb)
{
	struct tuple4 t = {};
	int ret;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	ret = parse_ipv4(skb, &t);
	if (ret == DROP_INVALID)
		return TC_ACT_SHOT;
	if (ret < 0)
		return TC_ACT_OK;
	if (ct_touch(&t, skb->len) > (1ULL << 32))
		skb->mark = 1;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
