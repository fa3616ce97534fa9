/* Rejected: a recursive function that optimisation cannot turn into a loop. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int fib(int n)
{
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

SEC("xdp")
int count(struct xdp_md *ctx)
{
	return fib(ctx->rx_queue_index & 7) & 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
