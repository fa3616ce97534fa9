/*
 * legacy_maps.bpf.c - check test object: a map defined the pre-BTF way, in SEC("maps").
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct old_map_def {
	unsigned int type, key_size, value_size, max_entries, map_flags;
};

struct old_map_def counters SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = 4,
	.value_size = 8,
	.max_entries = 1,
};

SEC("xdp")
int uses_old_map(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
