/*
 * bug_timer_cb_count.bpf.c - the first draft of a connection-table janitor: a bpf_timer
 * callback sweeps a few slots and returns how many entries it cleared, as a C function
 * naturally would.  Timer callbacks must return 0; the kernel checks the callback's R0
 * at its exit like a program's return value.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define CLOCK_MONOTONIC 1
#define SWEEP_NS        (5ULL * 1000000000ULL)

struct janitor {
	struct bpf_timer t;
	__u64 last_sweep;
	__u32 started;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct janitor);
} janitor SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, __u64);
} conns SEC(".maps");

static int sweep(void *map, __u32 *key, struct janitor *j)
{
	int cleared = 0;
	__u64 k;

	for (k = 0; k < 4; k++)
		if (bpf_map_delete_elem(&conns, &k) == 0)
			cleared++;
	j->last_sweep = bpf_ktime_get_ns();
	bpf_timer_start(&j->t, SWEEP_NS, 0);
	return cleared;
}

SEC("tc")
__failure __msg("At async callback return the register R0 has {{.*}} should have been in [0, 0]")
int tc_conn_janitor(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct janitor *j = bpf_map_lookup_elem(&janitor, &zero);

	if (!j || j->started)
		return TC_ACT_OK;
	j->started = 1;
	bpf_timer_init(&j->t, &janitor, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&j->t, sweep);
	bpf_timer_start(&j->t, SWEEP_NS, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
