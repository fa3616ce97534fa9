/*
 * cgroup_dev_reuseport.bpf.c - two policy programs: a device cgroup filter that allows
 * only the character devices listed in a hash map (plus mknod of nothing), and an
 * SO_REUSEPORT selector that spreads connections over a socket array by the packet
 * hash.  Models the cgroup/dev context (access_type packs type and access) and
 * bpf_sk_select_reuseport with a REUSEPORT_SOCKARRAY.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define NSOCKS 16

struct dev_key {
	__u32 major;
	__u32 minor;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, struct dev_key);
	__type(value, __u32);
} allowed_devs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_REUSEPORT_SOCKARRAY);
	__uint(max_entries, NSOCKS);
	__type(key, __u32);
	__type(value, __u64);
} workers SEC(".maps");

SEC("cgroup/dev")
__success
int dev_policy(struct bpf_cgroup_dev_ctx *ctx)
{
	__u32 type = ctx->access_type & 0xffff;
	__u32 access = ctx->access_type >> 16;
	struct dev_key k = {.major = ctx->major, .minor = ctx->minor};
	__u32 *mask;

	if (type != BPF_DEVCG_DEV_CHAR)
		return 0;
	if (access & BPF_DEVCG_ACC_MKNOD)
		return 0;
	mask = bpf_map_lookup_elem(&allowed_devs, &k);
	return mask && (*mask & access) == access;
}

SEC("sk_reuseport")
__success
int pick_worker(struct sk_reuseport_md *reuse)
{
	__u32 key = reuse->hash % NSOCKS;

	if (bpf_sk_select_reuseport(reuse, &workers, &key, 0))
		return SK_PASS;
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
