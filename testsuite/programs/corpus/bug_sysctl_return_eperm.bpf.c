/*
 * bug_sysctl_return_eperm.bpf.c - a cgroup sysctl filter that denies writes by
 * returning -EPERM, as a syscall would.  cgroup programs answer 0 (deny) or 1 (allow);
 * the kernel checks the range of R0 at exit and refuses the negative value.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define EPERM 1

SEC("cgroup/sysctl")
__failure __msg("At program exit the register R0 has {{.*}}should have been in [0, 1]") __at_line(23)
int sysctl_readonly(struct bpf_sysctl *ctx)
{
	char name[16];

	if (!ctx->write)
		return 1;
	if (bpf_sysctl_get_name(ctx, name, sizeof(name), BPF_F_SYSCTL_BASE_NAME) < 0)
		return 1;
	if (name[0] == 's' && name[1] == 'o' && name[2] == 'm')
		return -EPERM;
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
