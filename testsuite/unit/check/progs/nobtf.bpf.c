/*
 * nobtf.bpf.c - check test object, compiled without -g: no .BTF, no maps; libbpf loads it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int plain(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
