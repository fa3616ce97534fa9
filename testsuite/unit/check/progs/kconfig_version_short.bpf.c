/*
 * kconfig_version_short.bpf.c - check test object: LINUX_KERNEL_VERSION (KERNEL_VERSION(a,
 * b, c), above 65535 for any real kernel) read into a 2-byte extern.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned short LINUX_KERNEL_VERSION __kconfig;

int version;

SEC("tracepoint/syscalls/sys_enter_getpid")
int read_kver(void *ctx)
{
	version = LINUX_KERNEL_VERSION; /* KCONFIG USE */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
