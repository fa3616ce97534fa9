/*
 * ksym_typeless.bpf.c - check test object: typeless __ksym variables, whose addresses
 * libbpf takes from /proc/kallsyms: a function (always listed) and a variable, listed only
 * on kernels built with CONFIG_KALLSYMS_ALL (not the test machine's).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern const void bpf_map_fops __ksym;
extern const void bpf_prog_put __ksym;

__u64 addrs[2];

SEC("tracepoint/syscalls/sys_enter_getpid")
int save_addrs(void *ctx)
{
	addrs[0] = (__u64)&bpf_map_fops; /* KSYM USE */
	addrs[1] = (__u64)&bpf_prog_put;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
