/* Rejected: a 600-byte buffer does not fit the 512-byte BPF stack frame. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int copy_packet(struct xdp_md *ctx)
{
	char buf[600];

	if (bpf_xdp_load_bytes(ctx, 0, buf, sizeof(buf)))
		return XDP_DROP;
	return buf[599] ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
