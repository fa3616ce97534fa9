/*
 * kconfig_ok.bpf.c - check test object: __kconfig externs of every kind libbpf fills, each
 * with a type that holds the running kernel's value, and weak ones the config lacks.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h> /* enum libbpf_tristate */

extern bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig;
extern char CONFIG_DEBUG_INFO_BTF __kconfig;
extern int CONFIG_HZ __kconfig;
extern unsigned short CONFIG_NR_CPUS __kconfig;
extern unsigned long long CONFIG_PHYSICAL_START __kconfig;
extern char CONFIG_LOCALVERSION[4] __kconfig; /* truncated, as libbpf does */
extern bool CONFIG_BPFCC_NOT_A_REAL_OPTION __kconfig __weak;
extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern int LINUX_BPFCC_FUTURE_VALUE __kconfig __weak;

__u64 sum;

SEC("tracepoint/syscalls/sys_enter_getpid")
int read_all(void *ctx)
{
	__u64 s = CONFIG_BPF_SYSCALL + CONFIG_BPF_JIT + CONFIG_DEBUG_INFO_BTF + CONFIG_HZ;

	s += CONFIG_NR_CPUS + CONFIG_PHYSICAL_START + CONFIG_LOCALVERSION[0];
	s += CONFIG_BPFCC_NOT_A_REAL_OPTION + LINUX_KERNEL_VERSION + LINUX_HAS_BPF_COOKIE;
	s += LINUX_BPFCC_FUTURE_VALUE;
	sum = s;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
