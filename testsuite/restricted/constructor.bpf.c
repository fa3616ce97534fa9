/* Rejected: a global constructor; nothing runs it.
 * kernel-verdict: accept (clang compiles it, the kernel loads it, threshold stays 0) */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int threshold;

__attribute__((constructor)) static void set_threshold(void)
{
	threshold = 64;
}

SEC("xdp")
int cut(struct xdp_md *ctx)
{
	return ctx->rx_queue_index > threshold ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
