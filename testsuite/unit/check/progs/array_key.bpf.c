/*
 * array_key.bpf.c - check test object: an array map with an 8-byte key (arrays are
 * indexed by a 4-byte key).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u64);
	__type(value, __u64);
	__uint(max_entries, 4);
} slots SEC(".maps");

SEC("xdp")
int use_slots(struct xdp_md *ctx)
{
	__u64 k = 0, *v = bpf_map_lookup_elem(&slots, &k);

	return v && *v ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
