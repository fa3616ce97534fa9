/*
 * tc_tcp_opts_loop.bpf.c - a tc classifier that walks the TCP options of SYN packets with
 * bpf_loop instead of an unrolled loop: the callback reads one option per round through
 * bpf_skb_load_bytes and keeps its cursor and findings in a context struct on the
 * caller's stack, the way option parsers in load balancers and SYN-cookie helpers do.
 * Models a bpf_loop callback whose context changes every round (imprecise cursor and
 * flags, widened so that the rounds converge) and a return value in [0, 1].
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpfcc/expect.h>

#define TCPOPT_EOL    0
#define TCPOPT_NOP    1
#define TCPOPT_MSS    2
#define TCPOPT_WSCALE 3
#define TCPOPT_SACK_OK 4
#define MAX_OPTS      20

struct opt_walk {
	struct __sk_buff *skb;
	__u32 off; /* next option byte */
	__u32 end; /* end of the TCP header */
	__u16 mss;
	__u8 wscale;
	__u8 sack_ok;
};

struct syn_stats {
	__u64 syns;
	__u64 with_wscale;
	__u64 with_sack;
	__u64 small_mss;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct syn_stats);
} syn_stats SEC(".maps");

static long parse_one_opt(__u64 i, void *data)
{
	struct opt_walk *w = data;
	__u8 kind, len;
	__u16 mss;

	if (w->off >= w->end)
		return 1;
	if (bpf_skb_load_bytes(w->skb, w->off, &kind, 1) < 0)
		return 1;
	if (kind == TCPOPT_EOL)
		return 1;
	if (kind == TCPOPT_NOP) {
		w->off++;
		return 0;
	}
	if (bpf_skb_load_bytes(w->skb, w->off + 1, &len, 1) < 0 || len < 2)
		return 1;
	if (kind == TCPOPT_MSS && len == 4 &&
	    bpf_skb_load_bytes(w->skb, w->off + 2, &mss, 2) == 0)
		w->mss = bpf_ntohs(mss);
	else if (kind == TCPOPT_WSCALE && len == 3)
		w->wscale = 1;
	else if (kind == TCPOPT_SACK_OK)
		w->sack_ok = 1;
	w->off += len;
	return 0;
}

SEC("tc")
__success
int tc_syn_options(struct __sk_buff *skb)
{
	struct opt_walk w = {.skb = skb};
	struct syn_stats *st;
	struct tcphdr th;
	struct iphdr ip;
	__u32 zero = 0, l4;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ip, sizeof(ip)) < 0 || ip.protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	l4 = ETH_HLEN + ip.ihl * 4;
	if (bpf_skb_load_bytes(skb, l4, &th, sizeof(th)) < 0 || !th.syn || th.ack)
		return TC_ACT_OK;
	w.off = l4 + sizeof(th);
	w.end = l4 + th.doff * 4;
	bpf_loop(MAX_OPTS, parse_one_opt, &w, 0);

	st = bpf_map_lookup_elem(&syn_stats, &zero);
	if (!st)
		return TC_ACT_OK;
	st->syns++;
	if (w.wscale)
		st->with_wscale++;
	if (w.sack_ok)
		st->with_sack++;
	if (w.mss && w.mss < 536)
		st->small_mss++;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
