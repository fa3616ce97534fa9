// SPDX-License-Identifier: GPL-2.0
/* drop_udp.bpf.c - XDP: drop UDP (the other half of drop_pair.bpf.o). */
#include "drop_common.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int drop_udp(struct xdp_md *ctx)
{
	struct iphdr *ip = ipv4_header(ctx);

	return ip && ip->protocol == 17 ? XDP_DROP : XDP_PASS;
}
