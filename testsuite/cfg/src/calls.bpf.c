/* A failing path through a bpf-to-bpf call: the callee's branch decides what it returns,
 * and only the return value 2 leads the caller to dereference a hash map lookup it never
 * checked against NULL.  The path enters pick(), takes its branch, returns, and fails. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, long);
} counts SEC(".maps");

static __attribute__((noinline)) int pick(int x)
{
	if (x > 3) /* on */
		return 2; /* on */
	return 1; /* off */
}

SEC("socket")
int calls(struct __sk_buff *skb)
{
	int k = pick(skb->len); /* on */
	long *v;

	if (k == 2) { /* on */
		v = bpf_map_lookup_elem(&counts, &k); /* on */
		return *v; /* on: fails */
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
