/*
 * perf_map_rollup.bpf.c - a periodic perf_event program that rolls a per-flow hash map up
 * into totals with bpf_for_each_map_elem, expiring idle flows on the way, and publishes
 * the totals in an array map for user space; a second program finds the busiest port
 * the same way.  Models for_each callbacks with the map, key, value and a caller
 * context, deleting the current element, and 0/1 returns that stop the walk early.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define IDLE_NS (60ULL * 1000000000ULL)

struct flow_key {
	__u32 saddr, daddr;
	__u16 sport, dport;
	__u32 proto;
};

struct flow_val {
	__u64 packets;
	__u64 bytes;
	__u64 last_seen;
};

struct rollup {
	__u64 flows;
	__u64 packets;
	__u64 bytes;
	__u64 expired;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct flow_key);
	__type(value, struct flow_val);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rollup);
} totals SEC(".maps");

struct rollup_ctx {
	__u64 now;
	struct rollup sum;
};

static long roll_flow(void *map, struct flow_key *key, struct flow_val *val,
		      struct rollup_ctx *rc)
{
	if (rc->now - val->last_seen > IDLE_NS) {
		bpf_map_delete_elem(map, key);
		rc->sum.expired++;
		return 0;
	}
	rc->sum.flows++;
	rc->sum.packets += val->packets;
	rc->sum.bytes += val->bytes;
	return 0;
}

SEC("perf_event")
__success
int rollup_flows(struct bpf_perf_event_data *ctx)
{
	struct rollup_ctx rc = {.now = bpf_ktime_get_ns()};
	__u32 zero = 0;
	struct rollup *out;

	bpf_for_each_map_elem(&flows, roll_flow, &rc, 0);
	out = bpf_map_lookup_elem(&totals, &zero);
	if (out)
		*out = rc.sum;
	return 0;
}

struct busiest {
	__u64 packets;
	__u16 port;
	__u16 seen;
};

static long find_busiest(void *map, struct flow_key *key, struct flow_val *val,
			 struct busiest *b)
{
	if (val->packets > b->packets) {
		b->packets = val->packets;
		b->port = key->dport;
	}
	b->seen++;
	return b->seen >= 1024; /* enough: stop the walk */
}

SEC("perf_event")
__success
int busiest_port(struct bpf_perf_event_data *ctx)
{
	struct busiest b = {};
	__u32 zero = 0;
	struct rollup *out;

	bpf_for_each_map_elem(&flows, find_busiest, &b, 0);
	out = bpf_map_lookup_elem(&totals, &zero);
	if (out && b.packets)
		out->flows = b.port;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
