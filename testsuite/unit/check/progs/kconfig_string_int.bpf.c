/*
 * kconfig_string_int.bpf.c - check test object: CONFIG_LOCALVERSION is a string, the
 * extern a number.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned long long CONFIG_LOCALVERSION __kconfig;

__u64 tag;

SEC("tracepoint/syscalls/sys_enter_getpid")
int read_version(void *ctx)
{
	tag = CONFIG_LOCALVERSION; /* KCONFIG USE */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
