/*
 * xdp_queue_spread.bpf.c - per-queue packet and byte counters for a NIC whose queues are
 * spread over the CPUs: the queue number is folded onto the CPU slots with the kernel's
 * configured CPU count (a power of two here), read as a __kconfig value.  libbpf loads
 * the .kconfig map frozen and read-only, so the verifier sees CONFIG_NR_CPUS as the
 * constant 256 and the masked index stays inside the 256-slot arrays.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define MAX_CPU_SLOTS 256

extern unsigned int CONFIG_NR_CPUS __kconfig;

__u64 slot_packets[MAX_CPU_SLOTS];
__u64 slot_bytes[MAX_CPU_SLOTS];

SEC("xdp")
__success
int xdp_queue_spread(struct xdp_md *ctx)
{
	__u32 slot = ctx->rx_queue_index & (CONFIG_NR_CPUS - 1);
	__u64 len = ctx->data_end - ctx->data;

	__sync_fetch_and_add(&slot_packets[slot], 1);
	__sync_fetch_and_add(&slot_bytes[slot], len);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
