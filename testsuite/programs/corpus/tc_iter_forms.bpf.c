/*
 * tc_iter_forms.bpf.c - the loop forms of current BPF code side by side in tc
 * programs: a bpf_for-style numeric iterator indexing a map value (index clamped by
 * hand, the kernel does not bound *i), nested iterators over a small matrix, and a
 * bpf_repeat-style iterator with an exit condition on data.  Models iterator loops
 * with stack slots, map values and branches that repeat across rounds.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __weak __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __weak __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __weak __ksym;

#define N 8

struct table {
	__u32 weight[N];
	__u32 matrix[N][N];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct table);
} tables SEC(".maps");

SEC("tc")
__success
int tc_weight_sum(struct __sk_buff *skb)
{
	struct bpf_iter_num it;
	__u32 zero = 0, sum = 0;
	struct table *t;
	int *i;

	t = bpf_map_lookup_elem(&tables, &zero);
	if (!t)
		return TC_ACT_OK;
	bpf_iter_num_new(&it, 0, N);
	while ((i = bpf_iter_num_next(&it)))
		sum += t->weight[*i & (N - 1)];
	bpf_iter_num_destroy(&it);
	skb->priority = sum & 7;
	return TC_ACT_OK;
}

SEC("tc")
__success
int tc_matrix_trace(struct __sk_buff *skb)
{
	struct bpf_iter_num outer, inner;
	__u32 zero = 0, diag = 0, off = 0;
	struct table *t;
	int *r, *c;

	t = bpf_map_lookup_elem(&tables, &zero);
	if (!t)
		return TC_ACT_OK;
	bpf_iter_num_new(&outer, 0, N);
	while ((r = bpf_iter_num_next(&outer))) {
		bpf_iter_num_new(&inner, 0, N);
		while ((c = bpf_iter_num_next(&inner))) {
			__u32 v = t->matrix[*r & (N - 1)][*c & (N - 1)];

			if (*r == *c)
				diag += v;
			else
				off += v;
		}
		bpf_iter_num_destroy(&inner);
	}
	bpf_iter_num_destroy(&outer);
	skb->mark = diag > off;
	return TC_ACT_OK;
}

SEC("tc")
__success
int tc_find_zero_hop(struct __sk_buff *skb)
{
	struct bpf_iter_num it;
	__u8 hop = 0;
	__u32 pos = 14;

	bpf_iter_num_new(&it, 0, 16);
	while (bpf_iter_num_next(&it)) {
		if (bpf_skb_load_bytes(skb, pos, &hop, 1) || hop == 0)
			break;
		pos += hop;
		if (pos > 1500)
			break;
	}
	bpf_iter_num_destroy(&it);
	skb->cb[0] = pos;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
