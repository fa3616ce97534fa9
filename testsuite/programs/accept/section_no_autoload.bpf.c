/*
 * section_no_autoload.bpf.c - SEC("?...") names a program libbpf does not load by
 * default: the '?' only clears autoload, the program type comes from the rest of the
 * name (libbpf's bpf_object_init_prog()).  The kernel selftests write most of their
 * programs this way.  Also a global function whose parameter points to an anonymous
 * struct: plain memory that may be NULL, tested before use.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

typedef struct {
	__u32 seen;
	__u32 len;
} pkt_note_t;

__noinline int note_len(pkt_note_t *n)
{
	return n ? n->len + n->seen : 0;
}

SEC("?xdp")
__success
int xdp_optional(struct xdp_md *ctx)
{
	pkt_note_t n = {.seen = 1, .len = ctx->data_end - ctx->data};

	return note_len(&n) > 1 ? XDP_PASS : XDP_DROP;
}

SEC("?tc")
__success
int tc_optional(struct __sk_buff *skb)
{
	return skb->len > 64 ? 0 : 2;
}

SEC("?raw_tp/sys_enter")
__success
int raw_tp_optional(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
