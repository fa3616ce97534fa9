/*
 * kconfig_missing.bpf.c - check test object: a strong __kconfig extern naming an option the
 * running kernel's config does not set (libbpf fails the load; a __weak one would read 0).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int CONFIG_BPFCC_NOT_A_REAL_OPTION __kconfig;

SEC("xdp")
int uses_missing_option(struct xdp_md *ctx)
{
	return CONFIG_BPFCC_NOT_A_REAL_OPTION ? XDP_DROP : XDP_PASS; /* KCONFIG USE */
}

char LICENSE[] SEC("license") = "GPL";
