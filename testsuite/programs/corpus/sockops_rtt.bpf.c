/*
 * sockops_rtt.bpf.c - a sock_ops program in the style of tcp-rtt monitors: enables the
 * RTT callback on established connections with bpf_sock_ops_cb_flags_set and records
 * smoothed RTT samples per remote address in a hash map, also inserting active
 * connections into a sockhash.  Models the sock_ops context (op-dependent fields)
 * and sockhash updates from sock_ops.
 */
// bpfcc-flags: -O2 -g -mcpu=v2
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct rtt_val {
	__u32 srtt_us;
	__u32 samples;
	__u32 min_us;
	__u32 pad;
};

struct conn_key {
	__u32 rip;
	__u32 lip;
	__u32 rport;
	__u32 lport;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct rtt_val);
} rtts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 1024);
	__type(key, struct conn_key);
	__type(value, __u64);
} active SEC(".maps");

SEC("sockops")
__success
int rtt_monitor(struct bpf_sock_ops *skops)
{
	struct rtt_val *v, init = {.min_us = ~0U};
	struct conn_key ck = {};
	__u32 rip = skops->remote_ip4;

	if (skops->family != 2)
		return 1;
	switch (skops->op) {
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
		ck.rip = skops->remote_ip4;
		ck.lip = skops->local_ip4;
		ck.rport = skops->remote_port;
		ck.lport = skops->local_port;
		bpf_sock_hash_update(skops, &active, &ck, BPF_NOEXIST);
		/* fallthrough */
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		bpf_sock_ops_cb_flags_set(skops, skops->bpf_sock_ops_cb_flags |
							 BPF_SOCK_OPS_RTT_CB_FLAG);
		break;
	case BPF_SOCK_OPS_RTT_CB:
		v = bpf_map_lookup_elem(&rtts, &rip);
		if (!v) {
			bpf_map_update_elem(&rtts, &rip, &init, BPF_NOEXIST);
			v = bpf_map_lookup_elem(&rtts, &rip);
			if (!v)
				break;
		}
		v->srtt_us = skops->srtt_us >> 3;
		v->samples++;
		if (v->srtt_us < v->min_us)
			v->min_us = v->srtt_us;
		break;
	default:
		break;
	}
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
