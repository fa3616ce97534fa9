/* packet_path.bpf.c - schema test input: reads the packet on the side of the bounds check
 * where it is too short; the kernel refuses it ("R1 offset is outside of the packet")
 * after a branch, so the finding has a path. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int wrong_side(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;

	if (data + 4 > end)
		return *(int *)data & 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
