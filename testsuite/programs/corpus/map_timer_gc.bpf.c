/*
 * map_timer_gc.bpf.c - a connection table with a bpf_timer per entry that expires idle
 * connections: the tc program creates the entry, initialises and arms its timer, and the
 * timer callback deletes the entry.  Models struct bpf_timer inside a map value,
 * bpf_timer_init/set_callback/start and a callback subprogram with the map signature.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define CLOCK_MONOTONIC 1
#define IDLE_NS (60ULL * 1000000000ULL)

struct conn {
	struct bpf_timer timer;
	__u64 last_seen;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct conn);
} conns SEC(".maps");

static int expire(void *map, __u64 *key, struct conn *c)
{
	if (bpf_ktime_get_ns() - c->last_seen >= IDLE_NS)
		bpf_map_delete_elem(map, key);
	else
		bpf_timer_start(&c->timer, IDLE_NS, 0);
	return 0;
}

SEC("tc")
__success
int tc_track(struct __sk_buff *skb)
{
	__u64 key = ((__u64)skb->ifindex << 32) | bpf_get_hash_recalc(skb);
	struct conn init = {}, *c;

	c = bpf_map_lookup_elem(&conns, &key);
	if (!c) {
		if (bpf_map_update_elem(&conns, &key, &init, BPF_NOEXIST))
			return TC_ACT_OK;
		c = bpf_map_lookup_elem(&conns, &key);
		if (!c)
			return TC_ACT_OK;
		if (bpf_timer_init(&c->timer, &conns, CLOCK_MONOTONIC) == 0) {
			bpf_timer_set_callback(&c->timer, expire);
			bpf_timer_start(&c->timer, IDLE_NS, 0);
		}
	}
	c->last_seen = bpf_ktime_get_ns();
	__sync_fetch_and_add(&c->bytes, skb->len);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
