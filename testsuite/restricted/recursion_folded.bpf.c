/* Accepted: recursion in the source that the optimiser evaluates away. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static int triangle(int n)
{
	return n ? n + triangle(n - 1) : 0;
}

SEC("xdp")
int fixed(struct xdp_md *ctx)
{
	return ctx->rx_queue_index == triangle(10) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
