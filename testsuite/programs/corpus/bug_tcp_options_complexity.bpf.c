/*
 * bug_tcp_options_complexity.bpf.c - xdp_tcp_options.bpf.c with room for eight TCP
 * options instead of four: clang keeps the loop, and every round forks on the option
 * kind and on each bounds check with a different packet offset, so the kernel's
 * states do not converge and it stops after a million instructions (option parsers
 * use bpf_loop or fewer rounds for this reason).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define MAX_OPTS 8
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WSCALE 3

struct syn_opts {
	__u16 mss;
	__u8 wscale;
	__u8 seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct syn_opts);
} syn_options SEC(".maps");

SEC("xdp")
__failure __msg("BPF program is too large. Processed 1000001 insn")
/* the kernel stops at line 85; where the 1,000,001st insn falls depends on the order of exploration */
int xdp_syn_options(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct syn_opts o = {};
	struct tcphdr *th;
	__u8 *opt, *opt_end;
	__u32 saddr;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (iph->ihl != 5 || iph->protocol != IPPROTO_TCP)
		return XDP_PASS;
	th = (void *)(iph + 1);
	if ((void *)(th + 1) > data_end || !th->syn || th->doff <= 5)
		return XDP_PASS;
	saddr = iph->saddr;
	opt = (__u8 *)(th + 1);
	opt_end = (__u8 *)th + th->doff * 4;
	for (int i = 0; i < MAX_OPTS; i++) {
		__u8 kind, len;

		if (opt + 1 > (__u8 *)data_end || opt >= opt_end)
			break;
		kind = opt[0];
		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			opt++;
			continue;
		}
		if (opt + 2 > (__u8 *)data_end)
			break;
		len = opt[1];
		if (len < 2)
			break;
		if (kind == TCPOPT_MSS && len == 4 && opt + 4 <= (__u8 *)data_end) {
			o.mss = ((__u16)opt[2] << 8) | opt[3];
			o.seen |= 1;
		} else if (kind == TCPOPT_WSCALE && len == 3 && opt + 3 <= (__u8 *)data_end) {
			o.wscale = opt[2];
			o.seen |= 2;
		}
		opt += len;
	}
	if (o.seen)
		bpf_map_update_elem(&syn_options, &saddr, &o, BPF_ANY);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
