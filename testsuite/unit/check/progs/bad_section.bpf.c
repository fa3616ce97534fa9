/*
 * bad_section.bpf.c - check test object: a misspelt section name.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xpd")
int typo(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
