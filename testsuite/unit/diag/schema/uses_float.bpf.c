/* uses_float.bpf.c - schema test input: a restricted-C finding (ir-float). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int half(struct xdp_md *ctx)
{
	double d = ctx->data_end - ctx->data;
	return d / 3.0 > 1.5;
}

char LICENSE[] SEC("license") = "GPL";
