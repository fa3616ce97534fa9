/*
 * kconfig_unknown.bpf.c - check test object: a __kconfig extern that is neither a CONFIG_
 * option nor one of the values libbpf computes itself.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int LINUX_NO_SUCH_VALUE __kconfig;

SEC("xdp")
int uses_kconfig(struct xdp_md *ctx)
{
	return LINUX_NO_SUCH_VALUE ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
