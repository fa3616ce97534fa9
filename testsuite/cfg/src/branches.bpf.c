/* A program the kernel refuses after three branch decisions: a packet read past the four
 * bytes proven by the bounds check, reached only when the first byte is 0x45 and the
 * second one odd.  The lines marked "on" are on the failing path, "off" ones are not. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int branches(struct xdp_md *ctx)
{
	unsigned char *p = (unsigned char *)(long)ctx->data; /* on */
	void *end = (void *)(long)ctx->data_end;             /* on */

	if (p + 4 > end) /* on */
		return XDP_ABORTED; /* off */
	if (p[0] != 0x45) /* on */
		return XDP_PASS; /* off */
	if ((p[1] & 1) == 0) /* on */
		return XDP_TX; /* off */
	return p[8]; /* on: fails */
}

char LICENSE[] SEC("license") = "GPL";
