/*
 * sleepable_maps.bpf.c - a sleepable uprobe may use arrays, hashes, ring buffers and local
 * storage (also queues, stacks and maps of maps), not socket maps, bloom filters or LPM
 * tries: the kernel refuses the map when the program names it
 * (check_map_prog_compatibility, before its walk: its log has no source line).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} peers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

SEC("uprobe.s")
__failure __msg("Sleepable programs can only use array, hash, ringbuf and local storage maps")
int sockhash_in_sleepable(void *ctx)
{
	__u32 key = bpf_get_current_pid_tgid() >> 32;

	bpf_map_delete_elem(&peers, &key);
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 64);
	__type(value, __u32);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 64);
	__type(value, __u32);
} pids SEC(".maps");

SEC("uprobe.s")
__failure __msg("Sleepable programs can only use array, hash, ringbuf and local storage maps")
int bloom_in_sleepable(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	return bpf_map_peek_elem(&seen, &pid) == 0;
}

SEC("uprobe.s")
__success
int queue_in_sleepable(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	bpf_map_push_elem(&pids, &pid, BPF_EXIST);
	return 0;
}

SEC("uprobe.s")
__success
int hash_in_sleepable(void *ctx)
{
	__u32 key = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1, *n;

	n = bpf_map_lookup_elem(&calls, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&calls, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
