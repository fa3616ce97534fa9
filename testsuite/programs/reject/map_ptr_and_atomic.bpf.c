/*
 * map_ptr_and_atomic.bpf.c - a map pointer (&map) is only read, at offsets of the kernel's
 * struct behind it (check_ptr_to_map_access(): "R%d is bpf_array invalid negative access",
 * "only read from bpf_htab is supported"); an atomic access must be aligned to its size
 * in a map value too (check_ptr_alignment() strict for atomics: "misaligned value
 * access").
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define __naked __attribute__((naked))
#define __imm(name) [name] "i"(name)
#define __imm_addr(name) [name] "i"(&name)

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} tab SEC(".maps");

SEC("socket")
__failure __msg("R1 is bpf_array invalid negative access: off=-16") __at_line(34)
__naked void map_ptr_below(void)
{
	asm volatile("r1 = %[arr] ll;"
	             "r2 = *(u64 *)(r1 - 16);"
	             "r0 = 0;"
	             "exit;"
	             :
	             : __imm_addr(arr)
	             : "r0", "r1", "r2", "memory");
}

SEC("socket")
__failure __msg("only read from bpf_htab is supported") __at_line(47)
__naked void map_ptr_write(void)
{
	asm volatile("r1 = %[tab] ll;"
	             "r2 = 0;"
	             "*(u64 *)(r1 + 8) = r2;"
	             "r0 = 0;"
	             "exit;"
	             :
	             : __imm_addr(tab)
	             : "r0", "r1", "r2", "memory");
}

/* reading the map struct's first word (its ops) is allowed */
SEC("socket")
__success
__naked void map_ptr_read(void)
{
	asm volatile("r1 = %[arr] ll;"
	             "r2 = *(u64 *)(r1 + 0);"
	             "r0 = 0;"
	             "exit;"
	             :
	             : __imm_addr(arr)
	             : "r0", "r1", "r2", "memory");
}

/* a 4-byte atomic add 2 bytes into the value */
SEC("tc")
__failure __msg("misaligned value access off 0+0+2 size 4") __at_line(76)
__naked void atomic_misaligned_value(void)
{
	asm volatile("r1 = 0;"
	             "*(u32 *)(r10 - 4) = r1;"
	             "r2 = r10;"
	             "r2 += -4;"
	             "r1 = %[tab] ll;"
	             "call %[bpf_map_lookup_elem];"
	             "if r0 == 0 goto 1f;"
	             "r1 = 1;"
	             "lock *(u32 *)(r0 + 2) += w1;"
	             "1: r0 = 0;"
	             "exit;"
	             :
	             : __imm(bpf_map_lookup_elem), __imm_addr(tab)
	             : "r0", "r1", "r2", "r3", "r4", "r5", "memory");
}

char LICENSE[] SEC("license") = "GPL";
