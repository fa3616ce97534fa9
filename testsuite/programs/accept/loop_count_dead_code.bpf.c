/*
 * loop_count_dead_code.bpf.c - bpf_loop() with a constant count runs its callback at
 * most that many times on every path the kernel explores (callback_depth against the
 * count), so code guarded by a test on what the callback counted can be dead: the kernel
 * never looks at it, even when it holds an instruction it would refuse (here a
 * division by the constant zero).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

struct tally {
	__u64 rounds;
	__u64 pad;
};

__u8 parity_tab[2] = {0, 1};

static int count_round(__u32 idx, struct tally *t)
{
	t->rounds += 1;
	return 0;
}

SEC("socket")
__success
int loop_once(void *ctx)
{
	struct tally t = {};
	__u64 n, p;

	bpf_loop(1, count_round, &t, 0);
	n = t.rounds;
	p = parity_tab[n & 1];
	if (n > 1)
		asm volatile("r0 /= 0;" ::: "r0");
	return n + p;
}

char LICENSE[] SEC("license") = "GPL";
