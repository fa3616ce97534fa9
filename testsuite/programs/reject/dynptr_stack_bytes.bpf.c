/*
 * dynptr_stack_bytes.bpf.c - the 16 stack bytes of a struct bpf_dynptr are no data: a
 * load from them is refused ("invalid read from stack off ..."), so is a helper reading
 * them as memory ("invalid read from stack R%d off ..."), and a store into a dynptr that
 * holds a ring buffer reservation ("cannot overwrite referenced dynptr"); a store into a
 * local dynptr just stops it being one.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_dynptr);
} saved SEC(".maps");

int sink;

SEC("raw_tp")
__failure __msg("invalid read from stack off -16+0 size 4") __at_line(33)
int peek_dynptr(void *ctx)
{
	struct bpf_dynptr rec;

	bpf_ringbuf_reserve_dynptr(&events, 32, 0, &rec);
	sink = *(volatile int *)&rec;
	bpf_ringbuf_discard_dynptr(&rec, 0);
	return 0;
}

SEC("raw_tp")
__failure __msg("invalid read from stack R3 off -16+0 size 16") __at_line(46)
int store_dynptr_in_map(void *ctx)
{
	struct bpf_dynptr rec;
	__u32 key = 0;

	bpf_ringbuf_reserve_dynptr(&events, 32, 0, &rec);
	bpf_map_update_elem(&saved, &key, &rec, 0);
	bpf_ringbuf_submit_dynptr(&rec, 0);
	return 0;
}

SEC("raw_tp")
__failure __msg("cannot overwrite referenced dynptr") __at_line(58)
int scribble_on_reservation(void *ctx)
{
	struct bpf_dynptr rec;

	bpf_ringbuf_reserve_dynptr(&events, 32, 0, &rec);
	*((volatile char *)&rec + 8) = 0;
	bpf_ringbuf_submit_dynptr(&rec, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
