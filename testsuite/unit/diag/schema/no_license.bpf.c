/* no_license.bpf.c - schema test input: object-check findings.  No license section (a
 * warning) and a GPL-only helper (an error: "cannot call GPL-restricted function from
 * non-GPL compatible program"). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int say(struct xdp_md *ctx)
{
	bpf_printk("hi");
	return XDP_PASS;
}
