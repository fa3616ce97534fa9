/* __kconfig externs whose types hold what hz.config gives (--kconfig), and a weak one it
 * does not set (reads 0). */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

extern int CONFIG_HZ __kconfig;
extern enum libbpf_tristate CONFIG_HZ_1000 __kconfig;
extern bool CONFIG_BPFCC_ABSENT __kconfig __weak;

unsigned int seen;

SEC("tracepoint/syscalls/sys_enter_getpid")
int tick_rate(void *ctx)
{
	seen = CONFIG_BPFCC_ABSENT ? 0 : CONFIG_HZ + CONFIG_HZ_1000;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
