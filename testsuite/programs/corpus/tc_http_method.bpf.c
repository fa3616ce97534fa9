/*
 * tc_http_method.bpf.c - classifies HTTP requests by method in tc: copies the first
 * bytes of the TCP payload to a stack buffer with bpf_skb_load_bytes at an offset
 * computed from the IHL and data-offset nibbles, compares them with bpf_strncmp and a
 * switch, and marks the packet.  Models helper offsets that are bounded sums of header
 * fields, a variable-offset stack index, and bpf_strncmp against .rodata strings.
 */
// bpfcc-flags: -O2 -g -mcpu=v3
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define PEEK 16

enum { M_OTHER, M_GET, M_POST, M_PUT, M_DELETE, M_MAX };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, M_MAX);
	__type(key, __u32);
	__type(value, __u64);
} methods SEC(".maps");

static __always_inline int method_of(const char *p)
{
	switch (p[0]) {
	case 'G':
		return p[1] == 'E' && p[2] == 'T' && p[3] == ' ' ? M_GET : M_OTHER;
	case 'P':
		if (bpf_strncmp(p, 5, "POST ") == 0)
			return M_POST;
		return bpf_strncmp(p, 4, "PUT ") == 0 ? M_PUT : M_OTHER;
	case 'D':
		return bpf_strncmp(p, 7, "DELETE ") == 0 ? M_DELETE : M_OTHER;
	default:
		return M_OTHER;
	}
}

SEC("tc")
__success
int tc_http_classify(struct __sk_buff *skb)
{
	char peek[PEEK] = {};
	struct iphdr iph;
	__u8 doff_byte;
	__u32 off, m, sp = 0;
	__u64 *cnt;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &iph, sizeof(iph)) || iph.protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	off = ETH_HLEN + iph.ihl * 4;
	if (bpf_skb_load_bytes(skb, off + 12, &doff_byte, 1))
		return TC_ACT_OK;
	off += (doff_byte >> 4) * 4;
	if (bpf_skb_load_bytes(skb, off, peek, sizeof(peek)))
		return TC_ACT_OK;
	m = method_of(peek);
	for (int i = 0; i < PEEK; i++) {
		if (peek[i] == ' ') {
			sp = i;
			break;
		}
	}
	if (sp && peek[(sp + 1) & (PEEK - 1)] == '/')
		skb->mark = 0x8000 | m;
	cnt = bpf_map_lookup_elem(&methods, &m);
	if (cnt)
		*cnt += 1;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
