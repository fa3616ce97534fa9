/* Rejected: a call through a table of function pointers. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int verdict_pass(int q)
{
	return q > 3 ? XDP_PASS : XDP_DROP;
}

static __attribute__((noinline)) int verdict_drop(int q)
{
	return q > 5 ? XDP_DROP : XDP_PASS;
}

int (*volatile verdicts[2])(int) = {verdict_pass, verdict_drop};

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
	unsigned int q = ctx->rx_queue_index;

	return verdicts[q & 1](q);
}

char LICENSE[] SEC("license") = "GPL";
