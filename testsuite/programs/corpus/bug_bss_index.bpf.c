/*
 * bug_bss_index.bpf.c - per-queue counters kept in a global array (.bss) indexed by
 * the receive queue number without a bound: the NIC "never has more than 64 queues".
 * The global array is a map value of fixed size, and the kernel refuses an index it
 * cannot prove is inside it.  (bpf_get_smp_processor_id() would not do as an example:
 * the kernel bounds its result by the machine's CPU count.)
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define MAX_QUEUES 64

__u64 packets_per_queue[MAX_QUEUES];

SEC("xdp")
__failure __msg("unbounded memory access, make sure to bounds check any such access") __at_line(24)
/* bpfcc detects this since its map value bounds rule */
int xdp_queue_count(struct xdp_md *ctx)
{
	__u32 q = ctx->rx_queue_index;

	packets_per_queue[q]++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
