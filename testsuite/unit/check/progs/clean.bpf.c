/*
 * clean.bpf.c - check test object with nothing to report: a hash map, global data, a
 * .kconfig extern, a subprogram and a bpf_loop callback, GPL license.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 64);
} counts SEC(".maps");

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
__u64 total = 0;
const volatile __u32 limit = 10;

static int add_one(__u32 idx, void *data)
{
	__u64 *sum = data;

	*sum += idx;
	return 0;
}

__attribute__((noinline)) static __u64 bump(__u32 key)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(&counts, &key);

	if (v)
		return ++*v;
	bpf_map_update_elem(&counts, &key, &one, BPF_ANY);
	return 1;
}

SEC("xdp")
int count(struct xdp_md *ctx)
{
	__u64 sum = 0;

	bpf_loop(limit, add_one, &sum, 0);
	total += bump(ctx->ingress_ifindex) + sum + LINUX_KERNEL_VERSION;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
