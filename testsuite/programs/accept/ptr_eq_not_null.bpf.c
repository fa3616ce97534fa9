/*
 * ptr_eq_not_null.bpf.c - check_cond_jmp_op(): "if rX == rY" between a pointer that may be
 * NULL and one known not to be (neither a BTF pointer) makes the maybe-NULL one non-NULL
 * where the two are equal: JEQ in its taken branch, JNE in its fall-through.  Sockets from
 * bpf_sk_fullsock() and map values from two lookups of the same key.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>
#include <stddef.h>

#define __naked __attribute__((naked))
#define __imm(name) [name] "i"(name)
#define __imm_const(name, expr) [name] "i"(expr)
#define __imm_addr(name) [name] "i"(&name)

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* JNE: the fall-through has a == b, so the unchecked a is a socket there */
SEC("cgroup_skb/ingress")
__success
__naked void fullsock_jne(void)
{
	asm volatile("r6 = *(u64 *)(r1 + %[sk_off]);"
	             "if r6 == 0 goto 1f;"
	             "r1 = r6;"
	             "call %[bpf_sk_fullsock];"
	             "r7 = r0;"
	             "r1 = r6;"
	             "call %[bpf_sk_fullsock];"
	             "if r0 == 0 goto 1f;"
	             "if r7 != r0 goto 1f;"
	             "r2 = *(u32 *)(r7 + %[type_off]);"
	             "1: r0 = 1;"
	             "exit;"
	             :
	             : __imm(bpf_sk_fullsock),
	               __imm_const(sk_off, offsetof(struct __sk_buff, sk)),
	               __imm_const(type_off, offsetof(struct bpf_sock, type))
	             : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "memory");
}

/* JEQ: the taken branch has a == b */
SEC("xdp")
__success
__naked void lookup_jeq(void)
{
	asm volatile("r1 = 3;"
	             "*(u32 *)(r10 - 4) = r1;"
	             "r2 = r10;"
	             "r2 += -4;"
	             "r1 = %[counters] ll;"
	             "call %[bpf_map_lookup_elem];"
	             "r6 = r0;"
	             "r2 = r10;"
	             "r2 += -4;"
	             "r1 = %[counters] ll;"
	             "call %[bpf_map_lookup_elem];"
	             "if r6 == 0 goto 1f;"
	             "if r0 == r6 goto 2f;"
	             "1: r0 = 2;"
	             "exit;"
	             "2: r1 = *(u64 *)(r0 + 0);"
	             "r0 = 2;"
	             "exit;"
	             :
	             : __imm(bpf_map_lookup_elem), __imm_addr(counters)
	             : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "memory");
}

char LICENSE[] SEC("license") = "GPL";
