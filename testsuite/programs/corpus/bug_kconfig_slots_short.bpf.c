/*
 * bug_kconfig_slots_short.bpf.c - the first draft of xdp_queue_spread: the slot arrays
 * were sized for "at most 64 CPUs" while the mask comes from the kernel's CONFIG_NR_CPUS
 * (256 on the target).  The verifier knows the .kconfig value, so it knows the index can
 * reach 255, past the 64 slots.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define MAX_CPU_SLOTS 64

extern unsigned int CONFIG_NR_CPUS __kconfig;

__u64 slot_packets[MAX_CPU_SLOTS];

SEC("xdp")
__failure __msg("max value is outside of the allowed memory range") __at_line(24)
int xdp_queue_spread(struct xdp_md *ctx)
{
	__u32 slot = ctx->rx_queue_index & (CONFIG_NR_CPUS - 1);

	__sync_fetch_and_add(&slot_packets[slot], 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
