/* Accepted: a function whose address is passed to bpf_loop is a callback, not an
 * indirect call. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static long add_index(__u32 index, void *ctx)
{
	__u64 *sum = ctx;

	*sum += index;
	return 0;
}

SEC("xdp")
int sum_loop(struct xdp_md *ctx)
{
	__u64 sum = 0;

	bpf_loop(16, add_index, &sum, 0);
	return sum == 120 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
