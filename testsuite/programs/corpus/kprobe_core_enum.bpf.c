/*
 * kprobe_core_enum.bpf.c - CO-RE on enums and bitfields: reads the skb drop reason
 * from kfree_skb's tracepoint with its enum value resolved by
 * bpf_core_enum_value(), checks optional enumerators with bpf_core_enum_value_exists,
 * and reads a bitfield of struct sk_buff with BPF_CORE_READ_BITFIELD_PROBED.  Models
 * enum-value and bitfield relocations (ld_imm64/shift sequences patched by libbpf).
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpfcc/expect.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, u32);
	__type(value, u64);
} drops SEC(".maps");

SEC("tp_btf/kfree_skb")
__success
int BPF_PROG(on_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	u32 r = reason;
	u64 one = 1, *cnt;
	u8 pkt_type;

	if (r == bpf_core_enum_value(enum skb_drop_reason, SKB_NOT_DROPPED_YET))
		return 0;
	if (bpf_core_enum_value_exists(enum skb_drop_reason, SKB_CONSUMED) &&
	    r == bpf_core_enum_value(enum skb_drop_reason, SKB_CONSUMED))
		return 0;
	pkt_type = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	if (pkt_type == 4 /* PACKET_LOOPBACK */)
		r |= 0x10000;
	cnt = bpf_map_lookup_elem(&drops, &r);
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	else
		bpf_map_update_elem(&drops, &r, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
