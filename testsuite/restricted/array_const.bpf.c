/* Accepted: a fixed-size array on the stack, well under the 512-byte frame. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int copy_head(struct xdp_md *ctx)
{
	char head[32];

	if (bpf_xdp_load_bytes(ctx, 0, head, sizeof(head)))
		return XDP_DROP;
	return head[0] ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
