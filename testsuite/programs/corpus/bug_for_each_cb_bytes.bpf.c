/*
 * bug_for_each_cb_bytes.bpf.c - a bpf_for_each_map_elem callback written like a
 * reducer: it returns the bytes of the element it visited so that the caller could add
 * them up.  The helper only uses the return value as continue (0) / stop (1), and the
 * kernel requires exactly that range at the callback's exit.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct proc_io {
	__u64 read_bytes;
	__u64 write_bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct proc_io);
} proc_io SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} io_total SEC(".maps");

static long add_io(void *map, __u32 *pid, struct proc_io *io, __u64 *total)
{
	*total += io->read_bytes + io->write_bytes;
	return io->read_bytes + io->write_bytes;
}

SEC("perf_event")
__failure __msg("At callback return the register R0 has unknown scalar value should have been in [0, 1]")
int sample_io_total(struct bpf_perf_event_data *ctx)
{
	__u64 total = 0, *out;
	__u32 zero = 0;

	bpf_for_each_map_elem(&proc_io, add_io, &total, 0);
	out = bpf_map_lookup_elem(&io_total, &zero);
	if (out)
		*out = total;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
