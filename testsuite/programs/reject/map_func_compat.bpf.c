/*
 * map_func_compat.bpf.c - check_map_func_compatibility(): a helper that works on one map
 * type refuses the others, and a map type that has its own helpers refuses the generic
 * ones ("cannot pass map_type %d into func %s#%d"); sockmap deletes only from the program
 * types may_update_sockmap() lists; bpf_for_each_map_elem walks hashes and arrays only;
 * tracing programs may not use a map whose value holds a bpf_timer.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpus SEC(".maps");

/* a ring buffer helper given a hash map */
SEC("socket")
__failure __msg("cannot pass map_type 1 into func bpf_ringbuf_output#130") __at_line(46)
int ringbuf_into_hash(struct __sk_buff *skb)
{
	__u64 len = skb->len;

	bpf_ringbuf_output(&table, &len, sizeof(len), 0);
	return 0;
}

/* a perf event array has no elements to look up */
SEC("tracepoint/syscalls/sys_enter_getpid")
__failure __msg("cannot pass map_type 4 into func bpf_map_lookup_elem#1") __at_line(57)
int lookup_perf_array(void *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&perf, &cpu) != 0;
}

/* XDP redirects go through a device, CPU or XDP socket map */
SEC("xdp")
__failure __msg("cannot pass map_type 1 into func bpf_redirect_map#51") __at_line(65)
int redirect_through_hash(struct xdp_md *ctx)
{
	return bpf_redirect_map(&table, 0, XDP_PASS);
}

SEC("xdp")
__success
int redirect_through_cpumap(struct xdp_md *ctx)
{
	return bpf_redirect_map(&cpus, 0, XDP_PASS);
}

/* a kprobe may not change a sockmap through the generic helpers; tc may */
SEC("kprobe/do_nanosleep")
__failure __msg("cannot pass map_type 15 into func bpf_map_delete_elem#3") __at_line(82)
int sockmap_delete_kprobe(void *ctx)
{
	__u32 key = 0;

	bpf_map_delete_elem(&socks, &key);
	return 0;
}

SEC("tc")
__success
int sockmap_delete_tc(struct __sk_buff *skb)
{
	__u32 key = 0;

	bpf_map_delete_elem(&socks, &key);
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

static long count_elem(void *map, __u32 *key, __u64 *val, void *ctx)
{
	return 0;
}

/* bpf_for_each_map_elem walks hashes and arrays only: -ENOTSUPP for a ring buffer */
SEC("tc")
__failure __msg("callback function not allowed for map") __at_line(111)
int walk_ringbuf(struct __sk_buff *skb)
{
	bpf_for_each_map_elem(&events, count_elem, 0, 0);
	return 0;
}

SEC("tc")
__success
int walk_hash(struct __sk_buff *skb)
{
	bpf_for_each_map_elem(&table, count_elem, 0, 0);
	return 0;
}

/* check_map_prog_compatibility(): tracing programs may not use a map holding a timer */
struct timed {
	__u64 hits;
	struct bpf_timer t;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct timed);
} timed_map SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
__failure __msg("tracing progs cannot use bpf_timer yet")
int tracepoint_timer_map(void *ctx)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&timed_map, &k) != 0;
}

SEC("tp_btf/sched_switch")
__success
int tp_btf_timer_map(void *ctx)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&timed_map, &k) != 0;
}

char LICENSE[] SEC("license") = "GPL";
