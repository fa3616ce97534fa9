/*
 * callbacks.bpf.c - callbacks the kernel accepts: a bpf_loop body with a context struct
 * on the caller's stack, a bpf_for_each_map_elem aggregation, a timer whose callback
 * re-arms it, and a callback that calls a static function.  Each callback returns 0 or 1
 * (the timer's 0), and the loop state in the caller's stack converges.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct port_stat {
	__u64 hits;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct port_stat);
} port_stats SEC(".maps");

struct timer_slot {
	struct bpf_timer t;
	__u64 fired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct timer_slot);
} timers SEC(".maps");

struct word_sum {
	struct __sk_buff *skb;
	__u64 sum;
	__u32 words;
};

static long add_word(__u64 i, void *data)
{
	struct word_sum *ws = data;
	__u32 w;

	if (bpf_skb_load_bytes(ws->skb, (__u32)i * 4, &w, sizeof(w)) < 0)
		return 1;
	ws->sum += w;
	ws->words++;
	return 0;
}

SEC("tc")
__success
int loop_sum_words(struct __sk_buff *skb)
{
	struct word_sum ws = {.skb = skb};
	__u32 key = skb->ifindex & 63;
	struct port_stat *ps;

	bpf_loop(16, add_word, &ws, 0);
	ps = bpf_map_lookup_elem(&port_stats, &key);
	if (ps) {
		ps->hits += ws.words;
		ps->bytes += ws.sum;
	}
	return TC_ACT_OK;
}

struct totals {
	__u64 hits;
	__u32 busy;
};

static long add_port(void *map, __u32 *key, struct port_stat *val, struct totals *t)
{
	t->hits += val->hits;
	if (val->hits > 1000)
		t->busy++;
	return *key >= 32;
}

SEC("tc")
__success
int for_each_totals(struct __sk_buff *skb)
{
	struct totals t = {};

	bpf_for_each_map_elem(&port_stats, add_port, &t, 0);
	skb->mark = (__u32)t.hits;
	return TC_ACT_OK;
}

static int timer_fired(void *map, __u32 *key, struct timer_slot *slot)
{
	slot->fired++;
	bpf_timer_start(&slot->t, 1000000000ULL, 0);
	return 0;
}

SEC("tc")
__success
int timer_arm(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct timer_slot *s = bpf_map_lookup_elem(&timers, &zero);

	if (!s)
		return TC_ACT_OK;
	bpf_timer_init(&s->t, &timers, 1);
	bpf_timer_set_callback(&s->t, timer_fired);
	bpf_timer_start(&s->t, 1000000000ULL, 0);
	return TC_ACT_OK;
}

static __noinline __u64 mix(__u64 h, __u64 v)
{
	return (h ^ v) * 0x100000001b3ULL;
}

static long hash_step(__u64 i, __u64 *h)
{
	*h = mix(*h, i);
	return 0;
}

SEC("tc")
__success
int loop_calls_function(struct __sk_buff *skb)
{
	__u64 h = 0xcbf29ce484222325ULL;

	bpf_loop(8, hash_step, &h, 0);
	skb->mark = (__u32)h;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
