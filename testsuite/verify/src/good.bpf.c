/* Two programs the kernel loads: a constant return and a checked map lookup. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, long);
} counts SEC(".maps");

SEC("socket")
int first(struct __sk_buff *skb)
{
	return 0;
}

SEC("socket")
int second(struct __sk_buff *skb)
{
	int key = 1;
	long *v = bpf_map_lookup_elem(&counts, &key);

	if (!v)
		return 0;
	return *v ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
