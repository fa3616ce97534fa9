/* An object built without -g that uses a __kconfig extern: libbpf cannot classify the
 * extern without BTF and refuses to open the object. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int CONFIG_HZ __kconfig;

unsigned int hz;

SEC("tracepoint/syscalls/sys_enter_getpid")
int save_hz(void *ctx)
{
	hz = CONFIG_HZ;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
