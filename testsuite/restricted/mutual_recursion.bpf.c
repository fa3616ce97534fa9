/* Rejected: two functions that call each other. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static int is_odd(unsigned int n);

static __attribute__((noinline)) int is_even(unsigned int n)
{
	if (n == 0)
		return 1;
	bpf_printk("even %u", n);
	return is_odd(n - 1);
}

static __attribute__((noinline)) int is_odd(unsigned int n)
{
	if (n == 0)
		return 0;
	bpf_printk("odd %u", n);
	return is_even(n - 1);
}

SEC("xdp")
int parity(struct xdp_md *ctx)
{
	return is_even(ctx->rx_queue_index) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
