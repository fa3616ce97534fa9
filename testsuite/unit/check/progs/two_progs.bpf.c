/*
 * two_progs.bpf.c - check test object: one good program and one with a misspelt section
 * that calls a .text subprogram with a helper XDP programs cannot call, for the program
 * filter of check_options.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__attribute__((noinline)) static int load_byte(void *ctx)
{
	char byte = 0;

	bpf_skb_load_bytes(ctx, 0, &byte, 1);
	return byte;
}

SEC("xdp")
int good(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdpp")
int bad(struct xdp_md *ctx)
{
	return load_byte(ctx) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
