/*
 * engine_paths.bpf.c - programs the path exploration must accept, as the kernel does:
 * bounded loops of several shapes (the verifier walks every iteration until the exit is
 * decided), chains of independent branches (pruning merges the paths), pointers and
 * scalars spilled to the stack and filled back, and bpf-to-bpf calls with a stack
 * pointer argument.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("socket")
__success
int nested_loops(struct __sk_buff *skb)
{
	unsigned acc = skb->len;

#pragma clang loop unroll(disable)
	for (int i = 0; i < 16; i++) {
#pragma clang loop unroll(disable)
		for (int j = 0; j < 16; j++)
			acc = acc * 31 + (i ^ j);
	}
	return acc & 1;
}

SEC("socket")
__success
int loop_with_data_dependent_exit(struct __sk_buff *skb)
{
	unsigned n = skb->len & 63, acc = 0;

#pragma clang loop unroll(disable)
	for (unsigned i = 0; i < n; i++)
		acc += i;
	return acc & 1;
}

SEC("socket")
__success
int many_branches(struct __sk_buff *skb)
{
	unsigned x = skb->len, hits = 0;

	/* 24 independent conditions: 2^24 paths without pruning */
#define TEST(b)                                                                                    \
	if (x & (1u << (b)))                                                                       \
		hits++;
	TEST(0) TEST(1) TEST(2) TEST(3) TEST(4) TEST(5) TEST(6) TEST(7)
	TEST(8) TEST(9) TEST(10) TEST(11) TEST(12) TEST(13) TEST(14) TEST(15)
	TEST(16) TEST(17) TEST(18) TEST(19) TEST(20) TEST(21) TEST(22) TEST(23)
#undef TEST
	return hits & 1;
}

static __attribute__((noinline)) int fill_buffer(__u64 *buf, int n)
{
	int i;

#pragma clang loop unroll(disable)
	for (i = 0; i < 8 && i < n; i++)
		buf[i] = (__u64)i * 3;
	return i;
}

SEC("socket")
__success
int stack_buffer_through_call(struct __sk_buff *skb)
{
	__u64 buf[8] = {};
	int n = fill_buffer(buf, skb->len & 7);

	return (buf[0] + buf[7] + n) & 1;
}

SEC("socket")
__success
int spill_pointer_across_call(struct __sk_buff *skb)
{
	volatile __u64 slot = 5;
	__u64 *p = (__u64 *)&slot;
	__u32 r = bpf_get_prandom_u32();

	asm volatile("" : "+r"(p)); /* keep the pointer live across the call */
	r ^= bpf_get_prandom_u32();
	return (*p + r) & 1;
}

char LICENSE[] SEC("license") = "GPL";
