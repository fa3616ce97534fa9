/* Rejected: floating-point arithmetic on a packet length. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int drop_big(struct xdp_md *ctx)
{
	long len = ctx->data_end - ctx->data;
	double ratio = len / 1500.0;

	return ratio > 0.5 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
