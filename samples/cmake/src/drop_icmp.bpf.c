// SPDX-License-Identifier: GPL-2.0
/* drop_icmp.bpf.c - XDP: drop ICMP (one half of drop_pair.bpf.o). */
#include "drop_common.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int drop_icmp(struct xdp_md *ctx)
{
	struct iphdr *ip = ipv4_header(ctx);

	return ip && ip->protocol == 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
