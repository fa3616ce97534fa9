/*
 * link_mix.bpf.c - link test object: everything bpf_object__relocate() rewrites in one
 * program: .kconfig externs of several sizes and alignments (their layout in the .kconfig
 * map), kfunc calls, a __weak kfunc the kernel lacks (its address tested, its call
 * zeroed), .data/.bss/.rodata at non-zero offsets, two subprograms in first-reference
 * order and a bpf_loop callback.  (Typed __ksym variables are not here: the only ones in
 * vmlinux BTF are per-CPU variables, whose address the kernel will not resolve under
 * lockdown.)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig __weak;
extern _Bool LINUX_HAS_BPF_COOKIE __kconfig;
extern unsigned long long CONFIG_NO_SUCH_OPTION __kconfig __weak;
extern char CONFIG_BPF_SYSCALL __kconfig __weak;

extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern void bpf_no_such_kfunc(void) __ksym __weak;

struct pair {
	int a;
	long b;
};
struct pair pairs[2] = {{1, 2}, {3, 4}};
static char scratch[16];
const volatile int rounds = 4;

static int step(__u32 i, void *data)
{
	long *acc = data;

	*acc += i;
	return 0;
}

__attribute__((noinline)) static long second(long x)
{
	scratch[x & 7] = (char)x;
	return pairs[1].b + x;
}

__attribute__((noinline)) static long first(long x)
{
	return second(x) + pairs[0].a;
}

SEC("tc")
int mix(struct __sk_buff *skb)
{
	long acc = 0;

	bpf_rcu_read_lock();
	bpf_rcu_read_unlock();
	if (bpf_no_such_kfunc)
		bpf_no_such_kfunc();
	bpf_loop(rounds, step, &acc, 0);
	acc += first(skb->len) + LINUX_KERNEL_VERSION + CONFIG_HZ + LINUX_HAS_BPF_COOKIE +
	       CONFIG_NO_SUCH_OPTION + CONFIG_BPF_SYSCALL;
	return acc & 1;
}

char LICENSE[] SEC("license") = "GPL";
