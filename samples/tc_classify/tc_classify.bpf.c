// SPDX-License-Identifier: GPL-2.0
/*
 * tc_classify.bpf.c - a tc (cls_bpf) classifier that sorts egress traffic into three
 * classes by port: interactive SSH, DNS, and bulk.
 *
 * Attached in direct-action mode (`tc filter add ... bpf da obj tc_classify.bpf.o sec tc`)
 * the program both classifies and decides: it stores the chosen class in
 * skb->tc_classid, which the qdisc (e.g. an HTB with classes 1:10, 1:20, 1:30) uses, and
 * returns TC_ACT_OK to let the packet continue.  It also sets skb->priority, which
 * priority-aware qdiscs and drivers honour.
 *
 * Like XDP, tc programs read packet bytes directly between skb->data and skb->data_end,
 * after a bounds check the verifier can see.  Writing skb->tc_classid and skb->priority
 * is allowed for this program type (BPF_PROG_TYPE_SCHED_CLS); most other __sk_buff
 * fields are read-only.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define CLASS_MAJOR 1
enum traffic_class {
	CLASS_INTERACTIVE = 0x10, /* 1:10 */
	CLASS_DNS = 0x20,         /* 1:20 */
	CLASS_BULK = 0x30,        /* 1:30 */
};

/* The ports of a TCP or UDP packet, in host byte order. */
struct ports {
	__u16 src;
	__u16 dst;
};

/* Finds the IPv4 protocol and ports of the packet; 0 on success, -1 if not TCP/UDP over IPv4. */
static __always_inline int parse_ports(struct __sk_buff *skb, __u8 *proto, struct ports *p)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	void *l4;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return -1;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->ihl < 5)
		return -1;
	if (ip->frag_off & bpf_htons(0x1fff))
		return -1; /* non-first fragment: no ports */

	l4 = (void *)ip + ip->ihl * 4;
	*proto = ip->protocol;
	if (ip->protocol == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;

		if ((void *)(tcp + 1) > data_end)
			return -1;
		p->src = bpf_ntohs(tcp->source);
		p->dst = bpf_ntohs(tcp->dest);
		return 0;
	}
	if (ip->protocol == IPPROTO_UDP) {
		struct udphdr *udp = l4;

		if ((void *)(udp + 1) > data_end)
			return -1;
		p->src = bpf_ntohs(udp->source);
		p->dst = bpf_ntohs(udp->dest);
		return 0;
	}
	return -1;
}

SEC("tc")
int classify(struct __sk_buff *skb)
{
	struct ports p = {};
	enum traffic_class class = CLASS_BULK;
	__u8 proto = 0;

	if (parse_ports(skb, &proto, &p) == 0) {
		if (proto == IPPROTO_TCP && (p.dst == 22 || p.src == 22))
			class = CLASS_INTERACTIVE;
		else if (p.dst == 53 || p.src == 53)
			class = CLASS_DNS;
	}

	skb->tc_classid = TC_H_MAKE(CLASS_MAJOR << 16, class);
	/* TC_PRIO_INTERACTIVE is 6, TC_PRIO_BESTEFFORT 0 (linux/pkt_sched.h). */
	skb->priority = class == CLASS_BULK ? TC_PRIO_BESTEFFORT : TC_PRIO_INTERACTIVE;
	return TC_ACT_OK;
}
