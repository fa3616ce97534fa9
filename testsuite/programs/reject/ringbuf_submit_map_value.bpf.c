/*
 * ringbuf_submit_map_value.bpf.c - a record kept in a hash map is not a ring buffer
 * record: bpf_ringbuf_submit() takes only what bpf_ringbuf_reserve() returned
 * ("R1 type=map_value expected=ringbuf_mem").  A tool that falls back from a ring
 * buffer to a map-held buffer and still submits it trips on this.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct exec_rec {
	__u32 pid;
	__u32 len;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct exec_rec);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} out SEC(".maps");

SEC("tracepoint/syscalls/sys_exit_execve")
__failure __msg("R1 type=map_value expected=ringbuf_mem")
int submit_map_record(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_rec *r = bpf_map_lookup_elem(&pending, &tid);

	if (!r)
		return 0;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	bpf_ringbuf_submit(r, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
__success
int output_map_record(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_rec *r = bpf_map_lookup_elem(&pending, &tid);

	if (!r)
		return 0;
	bpf_ringbuf_output(&out, r, sizeof(*r), 0);
	bpf_map_delete_elem(&pending, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
