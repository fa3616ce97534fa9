/*
 * cgroup_sysctl_guard.bpf.c - cgroup sysctl filter: reads the sysctl name with
 * bpf_sysctl_get_name, compares it against a prefix in a bounded loop and refuses
 * writes to net/ipv4/ip_forward unless the new value is "0" or "1".  Models string
 * parsing with constant-bounded loops and bpf_strtoul on a stack buffer.
 */
// bpfcc-flags: -O1 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define NAME_LEN 64

static const char guarded[] = "net/ipv4/ip_forward";

static __always_inline int name_is(const char *name, const char *want, int len)
{
	for (int i = 0; i < len; i++) {
		if (name[i] != want[i])
			return 0;
	}
	return 1;
}

SEC("cgroup/sysctl")
__success
int sysctl_guard(struct bpf_sysctl *ctx)
{
	char name[NAME_LEN] = {};
	char value[8] = {};
	unsigned long v = 0;
	long n;

	if (!ctx->write)
		return 1;
	n = bpf_sysctl_get_name(ctx, name, sizeof(name), 0);
	if (n < 0 || n != sizeof(guarded) - 1)
		return 1;
	if (!name_is(name, guarded, sizeof(guarded) - 1))
		return 1;
	n = bpf_sysctl_get_new_value(ctx, value, sizeof(value));
	if (n <= 0)
		return 0;
	if (bpf_strtoul(value, sizeof(value), 10, &v) < 0)
		return 0;
	return v <= 1;
}

char LICENSE[] SEC("license") = "GPL";
