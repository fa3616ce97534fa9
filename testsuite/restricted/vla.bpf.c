/* Rejected: a variable-length array on the stack. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int copy_head(struct xdp_md *ctx)
{
	unsigned int n = (ctx->rx_queue_index & 31) + 1;
	char head[n];

	if (bpf_xdp_load_bytes(ctx, 0, head, n))
		return XDP_DROP;
	return head[0] ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
