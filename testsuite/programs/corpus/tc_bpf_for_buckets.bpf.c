/*
 * tc_bpf_for_buckets.bpf.c - open-coded loops written with the bpf_for() and
 * bpf_repeat() macros of bpf_experimental.h (spelled out here: libbpf 1.1 does not ship
 * them): a tc program folds the packet length into a latency-style histogram by walking
 * bucket limits, and resets a range of counters.  Models numeric iterators: the loop
 * index comes back unbounded from *next(), so it is clamped before indexing, and the
 * iterator is destroyed on every path.
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

/* bpf_for(i, start, end): as bpf_experimental.h defines it */
#define bpf_for(i, start, end)                                                             \
	for (struct bpf_iter_num ___it __attribute__((aligned(8),                           \
						      cleanup(bpf_iter_num_destroy))),      \
	     *___p __attribute__((unused)) =                                               \
		     (bpf_iter_num_new(&___it, (start), (end)), (void)bpf_iter_num_destroy, \
		      (void *)0);                                                          \
	     ({                                                                            \
		     int *___t = bpf_iter_num_next(&___it);                                 \
		     (___t && ((i) = *___t, (i) >= (start) && (i) < (end)));                \
	     });)

#define NBUCKETS 16

struct hist {
	__u32 limit[NBUCKETS];
	__u64 count[NBUCKETS];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} len_hist SEC(".maps");

SEC("tc")
__success
int tc_len_hist(struct __sk_buff *skb)
{
	__u32 zero = 0, slot = NBUCKETS - 1;
	struct hist *h = bpf_map_lookup_elem(&len_hist, &zero);
	int i;

	if (!h)
		return TC_ACT_OK;
	bpf_for(i, 0, NBUCKETS) {
		if (skb->len <= h->limit[i & (NBUCKETS - 1)]) {
			slot = i & (NBUCKETS - 1);
			break;
		}
	}
	__sync_fetch_and_add(&h->count[slot & (NBUCKETS - 1)], 1);
	return TC_ACT_OK;
}

SEC("tc")
__success
int tc_hist_reset(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct hist *h = bpf_map_lookup_elem(&len_hist, &zero);
	int i;

	if (!h || skb->mark != 0xdead)
		return TC_ACT_OK;
	bpf_for(i, 0, NBUCKETS)
		h->count[i & (NBUCKETS - 1)] = 0;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
