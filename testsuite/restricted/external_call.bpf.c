/* Rejected: a call to a function defined nowhere (not a helper, not a __ksym kfunc). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int classify(unsigned int queue);

SEC("xdp")
int use_extern(struct xdp_md *ctx)
{
	return classify(ctx->rx_queue_index);
}

char LICENSE[] SEC("license") = "GPL";
