/*
 * v4_signed_math.bpf.c - signed arithmetic as cpu v4 compiles it: sign-extending loads
 * and moves (movsx), signed division and modulo, byte swaps, in a tc program that
 * computes a smoothed signed delay estimate from a timestamp option and a histogram
 * index from it.  Models the v4 instructions and the ranges the kernel derives from
 * them (smod result bounded by the divisor).
 */
// bpfcc-flags: -O2 -g -mcpu=v4
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define BUCKETS 32

struct delay_state {
	__s64 srtt;
	__s64 rttvar;
	__s32 last_delta;
	__u32 samples;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct delay_state);
} delay SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
} delay_hist SEC(".maps");

SEC("tc")
__success
int tc_delay(struct __sk_buff *skb)
{
	__s8 adj = (__s8)(skb->mark & 0xff);
	__s16 skew = (__s16)(skb->hash >> 16);
	__u32 zero = 0, slot;
	struct delay_state *st;
	__s64 sample, err;
	__u64 *cnt;
	__u32 be;

	st = bpf_map_lookup_elem(&delay, &zero);
	if (!st)
		return TC_ACT_OK;
	sample = (__s64)skew * 1000 / 7 + adj;
	err = sample - st->srtt;
	st->srtt += err / 8;
	st->rttvar += ((err < 0 ? -err : err) - st->rttvar) / 4;
	st->last_delta = (__s32)(err % 1000);
	st->samples++;
	slot = (__u32)((sample % BUCKETS + BUCKETS) % BUCKETS);
	cnt = bpf_map_lookup_elem(&delay_hist, &slot);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	be = __builtin_bswap32(skb->mark);
	skb->tc_classid = be >> 16;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
