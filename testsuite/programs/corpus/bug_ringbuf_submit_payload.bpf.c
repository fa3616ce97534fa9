/*
 * bug_ringbuf_submit_payload.bpf.c - a syscall-latency tracer whose records carry a
 * fixed header and a payload.  The helper that fills the payload returns a pointer to
 * it, and the code submits that pointer instead of the record it reserved.  Release
 * helpers want the pointer the reservation returned, at offset 0.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct rec_hdr {
	__u32 kind;
	__u32 cpu;
	__u64 ts;
};

struct lat_rec {
	struct rec_hdr hdr;
	__u64 delta_ns;
	__u32 pid;
	__u32 syscall;
};

struct raw_sys_exit {
	unsigned long long common;
	long id;
	long ret;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} start_ns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} lat_events SEC(".maps");

static __always_inline __u64 *fill_header(struct lat_rec *r, __u32 kind)
{
	r->hdr.kind = kind;
	r->hdr.cpu = bpf_get_smp_processor_id();
	r->hdr.ts = bpf_ktime_get_ns();
	return &r->delta_ns;
}

SEC("tracepoint/raw_syscalls/sys_exit")
__failure __msg("R1 must have zero offset when passed to release func or trusted arg to kfunc")
__at_line(71)
int sys_exit_latency(struct raw_sys_exit *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *start, *payload;
	struct lat_rec *r;

	start = bpf_map_lookup_elem(&start_ns, &tid);
	if (!start)
		return 0;
	r = bpf_ringbuf_reserve(&lat_events, sizeof(*r), 0);
	if (!r)
		return 0;
	payload = fill_header(r, 1);
	*payload = r->hdr.ts - *start;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->syscall = ctx->id;
	bpf_map_delete_elem(&start_ns, &tid);
	bpf_ringbuf_submit(payload, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
