/*
 * local_storage_flags.bpf.c - bpf_get_local_storage() takes no flags: its second argument
 * must be a known zero ("get_local_storage() doesn't support non-zero flags"), checked
 * after the arguments' types; a flag the program computes is refused even when it may
 * be 0.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_STORAGE);
	__type(key, struct bpf_cgroup_storage_key);
	__type(value, __u64);
} store SEC(".maps");

SEC("cgroup_skb/egress")
__failure __msg("get_local_storage() doesn't support non-zero flags") __at_line(21)
int computed_flags(struct __sk_buff *skb)
{
	__u64 *packets = bpf_get_local_storage(&store, skb->mark & 1);

	__sync_fetch_and_add(packets, 1);
	return 1;
}

SEC("cgroup_skb/egress")
__success
int zero_flags(struct __sk_buff *skb)
{
	__u64 *packets = bpf_get_local_storage(&store, 0);

	__sync_fetch_and_add(packets, 1);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
