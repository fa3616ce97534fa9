/*
 * callback_bpf_loop.bpf.c - bpf_loop and bpf_for_each_map_elem callbacks: a tc program
 * scans a packet payload in a bpf_loop callback and counts into a per-CPU map value,
 * and a perf_event program ages out stale entries of a flow table with
 * bpf_for_each_map_elem.  Models callback subprograms verified as loops: the state the
 * callback changes (a map value, not exact stack constants) lets the kernel's
 * iteration converge.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define SCAN_MAX 256

struct scan_stats {
	__u64 zeros;
	__u64 nonascii;
};

struct scan_ctx {
	struct __sk_buff *skb;
	struct scan_stats *st;
	__u32 start;
};

struct flow_val {
	__u64 last_seen;
	__u64 packets;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scan_stats);
} scan_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct flow_val);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} expired SEC(".maps");

static long scan_byte(__u64 i, void *data)
{
	struct scan_ctx *sc = data;
	__u8 b;

	if (bpf_skb_load_bytes(sc->skb, sc->start + (__u32)i, &b, 1) < 0)
		return 1;
	if (b == 0)
		sc->st->zeros++;
	else if (b & 0x80)
		sc->st->nonascii++;
	return 0;
}

SEC("tc")
__success
int tc_payload_scan(struct __sk_buff *skb)
{
	struct scan_ctx sc = {.skb = skb, .start = 54};
	__u32 zero = 0, n;

	sc.st = bpf_map_lookup_elem(&scan_stats, &zero);
	if (!sc.st || skb->len <= sc.start)
		return TC_ACT_OK;
	n = skb->len - sc.start;
	if (n > SCAN_MAX)
		n = SCAN_MAX;
	sc.st->zeros = 0;
	sc.st->nonascii = 0;
	bpf_loop(n, scan_byte, &sc, 0);
	return sc.st->nonascii > n / 2 ? TC_ACT_SHOT : TC_ACT_OK;
}

struct age_ctx {
	__u64 now;
	__u64 *deleted;
};

static long age_flow(void *map, __u64 *key, struct flow_val *val, struct age_ctx *ac)
{
	if (ac->now - val->last_seen > 30ULL * 1000000000ULL) {
		bpf_map_delete_elem(map, key);
		*ac->deleted += 1;
	}
	return *ac->deleted >= 64;
}

SEC("perf_event")
__success
int age_flows(struct bpf_perf_event_data *ctx)
{
	struct age_ctx ac = {.now = bpf_ktime_get_ns()};
	__u32 zero = 0;

	ac.deleted = bpf_map_lookup_elem(&expired, &zero);
	if (!ac.deleted)
		return 0;
	bpf_for_each_map_elem(&flows, age_flow, &ac, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
