/*
 * kconfig_bool_number.bpf.c - check test object: CONFIG_HZ is a number (250 here), but the
 * extern is declared bool, as if it were a y/n option.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

extern bool CONFIG_HZ __kconfig;

SEC("xdp")
int hz_as_bool(struct xdp_md *ctx)
{
	return CONFIG_HZ ? XDP_PASS : XDP_DROP; /* KCONFIG USE */
}

char LICENSE[] SEC("license") = "GPL";
