/*
 * kconfig_char_range.bpf.c - check test object: CONFIG_NR_CPUS (256 here) read into a
 * one-byte extern; libbpf refuses a value that does not fit.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned char CONFIG_NR_CPUS __kconfig;

int ncpus;

SEC("tracepoint/syscalls/sys_enter_getpid")
int count_cpus(void *ctx)
{
	ncpus = CONFIG_NR_CPUS; /* KCONFIG USE */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
