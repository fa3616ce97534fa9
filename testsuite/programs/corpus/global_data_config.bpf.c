/*
 * global_data_config.bpf.c - configuration and state in global variables: const
 * volatile knobs in .rodata set by the loader, counters in .bss, a table in .data, and
 * a per-CPU scratch array.  Models direct loads and stores to the internal array maps
 * libbpf creates for .data/.rodata/.bss and an index checked against the table size.
 */
// bpfcc-flags: -O2 -g -mcpu=v4
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

const volatile __u32 sample_every = 16;
const volatile bool verbose = false;
const volatile __u8 prio_map[8] = {0, 1, 2, 3, 4, 5, 6, 7};

__u64 seen_packets;
__u64 sampled_packets;
__u32 last_mark;
__u32 by_priority[8] = {};
char last_note[16] = "none";

SEC("tc")
__success
int tc_sample(struct __sk_buff *skb)
{
	__u32 p = skb->priority;
	__u64 n = __sync_fetch_and_add(&seen_packets, 1);

	if (p < 8) {
		skb->priority = prio_map[p];
		by_priority[p]++;
	}
	if (sample_every && n % sample_every)
		return TC_ACT_OK;
	sampled_packets++;
	last_mark = skb->mark;
	if (verbose) {
		__builtin_memcpy(last_note, "sampled", 8);
		bpf_printk("sampled packet %llu mark %u", n, skb->mark);
	}
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
