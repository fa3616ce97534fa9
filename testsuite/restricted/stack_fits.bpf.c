/* Accepted: 256 bytes of buffer plus what the compiler spills stays under 512. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int copy_packet(struct xdp_md *ctx)
{
	char buf[256];

	if (bpf_xdp_load_bytes(ctx, 0, buf, sizeof(buf)))
		return XDP_DROP;
	return buf[255] ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
