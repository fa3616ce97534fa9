/*
 * maps_globals.bpf.c - test object for the ELF reader: every kind of BTF-defined map
 * attribute, map-in-map, a prog array, global data in each section kind, kconfig and
 * ksym externs, a subprogram and a global function.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct key {
	__u32 a;
	__u16 b;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct key);
	__type(value, __u64);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hash_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 32);
	__uint(max_entries, 8);
	__uint(numa_node, 0);
} sized_array SEC(".maps");

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 4);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, 4);
	__array(values, int(void *));
} jumps SEC(".maps");

int counter = 1;
const volatile __u32 limit = 100;
__u64 zeroed;
int custom SEC(".data.custom") = 7;

extern unsigned int CONFIG_HZ __kconfig __weak;
extern __u32 LINUX_KERNEL_VERSION __kconfig;
struct task_struct;
extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym __weak;

static __attribute__((noinline)) int helper_sub(int x)
{
	return x * 2 + counter;
}

__attribute__((noinline)) int global_fn(int x)
{
	return x + 1;
}

SEC("xdp")
int xdp_prog(struct xdp_md *ctx)
{
	struct key k = {.a = ctx->ingress_ifindex, .b = 1};
	__u64 *v = bpf_map_lookup_elem(&hash_map, &k);
	__u32 idx = 0;
	void *in = bpf_map_lookup_elem(&outer, &idx);

	if (v)
		*v += limit + CONFIG_HZ + LINUX_KERNEL_VERSION;
	if (in)
		zeroed++;
	bpf_tail_call(ctx, &jumps, 0);
	return helper_sub(custom) > global_fn(idx) ? XDP_PASS : XDP_DROP;
}

SEC("tc")
int tc_prog(struct __sk_buff *skb)
{
	void *p = bpf_map_lookup_elem(&sized_array, &skb->mark);

	if (bpf_task_acquire)
		counter++;
	return p ? 0 : helper_sub(1);
}

char LICENSE[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x060c00;
