/* Accepted: a floating-point constant expression that the compiler folds to an integer. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MTU 1500
#define LIMIT ((long)(MTU * 0.5))

SEC("xdp")
int drop_big(struct xdp_md *ctx)
{
	long len = ctx->data_end - ctx->data;

	return len > LIMIT ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
