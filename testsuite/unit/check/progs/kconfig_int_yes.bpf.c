/*
 * kconfig_int_yes.bpf.c - check test object: CONFIG_BPF_SYSCALL is a y/n option, but the
 * extern is an int; libbpf stores y/n/m only in bool, tristate or char.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int CONFIG_BPF_SYSCALL __kconfig;

SEC("xdp")
int bpf_enabled(struct xdp_md *ctx)
{
	return CONFIG_BPF_SYSCALL ? XDP_PASS : XDP_DROP; /* KCONFIG USE */
}

char LICENSE[] SEC("license") = "GPL";
