/*
 * kconfig_bad_type.bpf.c - check test object: a __kconfig extern of a type libbpf has no
 * config value for (an array of integers); the open fails whatever the config says.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int CONFIG_NR_CPUS[2] __kconfig __weak;

int out;

SEC("tracepoint/syscalls/sys_enter_getpid")
int read_pair(void *ctx)
{
	out = CONFIG_NR_CPUS[1]; /* KCONFIG USE */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
