/*
 * global_func_args.bpf.c - global functions are verified once, from their BTF
 * prototype: a pointer argument to anything but the context may be NULL whatever the
 * caller passes, and reading through it without a test is refused; a global function
 * must return an integer (void ones are refused at the call).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct pkt_count {
	__u64 packets;
	__u64 bytes;
};

__noinline int count_packet(struct pkt_count *pc, __u32 len)
{
	pc->packets++;
	pc->bytes += len;
	return 0;
}

SEC("xdp")
__failure __msg("R1 invalid mem access 'mem_or_null'")
int xdp_count_stack(struct xdp_md *ctx)
{
	struct pkt_count pc = {};

	count_packet(&pc, ctx->data_end - ctx->data);
	return pc.packets ? XDP_PASS : XDP_DROP;
}

__noinline int first_byte(const __u8 *buf)
{
	return buf[0];
}

SEC("xdp")
__failure __msg("R1 invalid mem access 'mem_or_null'")
int xdp_first_byte(struct xdp_md *ctx)
{
	__u8 b[4] = {1, 2, 3, 4};

	return first_byte(b) == 1 ? XDP_PASS : XDP_DROP;
}

__noinline void reset_count(struct pkt_count *pc)
{
	if (pc)
		pc->packets = 0;
}

SEC("xdp")
__failure __msg("Caller passes invalid args into func#{{[0-9]+}} ('reset_count')")
int xdp_reset(struct xdp_md *ctx)
{
	struct pkt_count pc = {.packets = ctx->rx_queue_index};

	reset_count(&pc);
	return pc.packets ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
