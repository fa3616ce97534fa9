/*
 * global_func_call_args.bpf.c - the kernel checks what a caller passes to a global
 * function against the function's BTF prototype (btf_check_func_arg_match()): a
 * context parameter takes only the context, an integer parameter only a number, a
 * memory parameter only memory of its size (never the context, not a smaller stack
 * object; a read-only map value passes), and every parameter must be passed
 * (clang leaves out one the callee does not read); and the static call graph, global
 * functions included, may not nest more than eight frames (check_max_stack_depth()).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

__noinline int skb_mark_of(struct __sk_buff *skb)
{
	return skb->mark;
}

__noinline int skb_mark_via(__u32 hint, struct __sk_buff *skb)
{
	__u32 local = hint + skb->len;

	/* passes its stack instead of the context */
	return skb_mark_of((struct __sk_buff *)&local);
}

SEC("tc")
__failure __msg("Caller passes invalid args into func#{{[0-9]+}} ('skb_mark_of')")
int tc_ctx_param_gets_stack(struct __sk_buff *skb)
{
	return skb_mark_via(skb->len, skb) ? 0 : 2;
}

__noinline int hint_only(__u32 hint, struct __sk_buff *skb)
{
	return hint * 2;
}

/* clang passes nothing in r2 for the parameter hint_only() never reads: the kernel
 * still checks it against the prototype, and an unset register is no context */
SEC("tc")
__failure __msg("Caller passes invalid args into func#{{[0-9]+}} ('hint_only')")
int tc_unused_param_not_passed(struct __sk_buff *skb)
{
	return hint_only(skb->len, skb) ? 0 : 2;
}

__noinline int scale_len(__u64 len)
{
	return len * 3;
}

SEC("tc")
__failure __msg("Caller passes invalid args into func#{{[0-9]+}} ('scale_len')")
int tc_int_param_gets_pointer(struct __sk_buff *skb)
{
	__u64 slot = skb->len;

	/* the address, not the value */
	return scale_len((__u64)&slot) & 1;
}

struct hdr_copy {
	__u32 w[4];
};

__noinline int sum_copy(struct hdr_copy *h)
{
	return h ? h->w[0] + h->w[3] : 0;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
__failure __msg("Caller passes invalid args into func#{{[0-9]+}} ('sum_copy')")
int tp_mem_param_gets_ctx(void *ctx)
{
	return sum_copy(ctx);
}

struct pair {
	__u64 lo;
	__u64 hi;
};

__noinline int pair_sum(const struct pair *p)
{
	return p ? p->lo + p->hi : 0;
}

struct half {
	__u64 lo;
};

SEC("tc")
__failure __msg("Caller passes invalid args into func#{{[0-9]+}} ('pair_sum')")
int tc_mem_param_too_small(struct __sk_buff *skb)
{
	struct half h = {.lo = skb->len};

	/* 8 bytes on the stack for a 16-byte parameter */
	return pair_sum((const struct pair *)&h) & 1;
}

SEC("tc")
__success
int tc_mem_param_fits(struct __sk_buff *skb)
{
	struct pair p = {.lo = skb->len, .hi = skb->mark};

	return pair_sum(&p) & 1;
}

__noinline int bump(int *v)
{
	return v ? (*v += 1) : 0;
}

const volatile int frozen_limit = 5;

/* the kernel only checks that the bytes exist: a read-only map value passes the call
 * (the global function is verified on its own, with writable memory) */
SEC("tc")
__success
int tc_mem_param_read_only_map(struct __sk_buff *skb)
{
	return bump((int *)&frozen_limit) & 1;
}

__noinline int depth1(struct __sk_buff *skb)
{
	return skb->len;
}

__noinline int depth2(struct __sk_buff *skb)
{
	return depth1(skb) + 1;
}

__noinline int depth3(struct __sk_buff *skb)
{
	return depth2(skb) + 1;
}

__noinline int depth4(struct __sk_buff *skb)
{
	return depth3(skb) + 1;
}

__noinline int depth5(struct __sk_buff *skb)
{
	return depth4(skb) + 1;
}

__noinline int depth6(struct __sk_buff *skb)
{
	return depth5(skb) + 1;
}

__noinline int depth7(struct __sk_buff *skb)
{
	return depth6(skb) + 1;
}

__noinline int depth8(struct __sk_buff *skb)
{
	return depth7(skb) + 1;
}

SEC("tc")
__failure __msg("the call stack of 8 frames is too deep !")
int tc_global_chain_too_deep(struct __sk_buff *skb)
{
	return depth8(skb) & 1;
}

SEC("tc")
__success
int tc_global_chain_seven(struct __sk_buff *skb)
{
	return depth7(skb) & 1;
}

char LICENSE[] SEC("license") = "GPL";
