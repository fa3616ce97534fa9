/* __kconfig externs checked against a kernel config given with --kconfig (hz.config). */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

extern bool CONFIG_HZ __kconfig; /* 1000 is not a bool */
extern bool CONFIG_BPFCC_ABSENT __kconfig __weak;

unsigned int seen;

SEC("tracepoint/syscalls/sys_enter_getpid")
int hz_as_bool(void *ctx)
{
	seen = CONFIG_HZ;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int weak_option(void *ctx)
{
	seen = CONFIG_BPFCC_ABSENT;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
