/*
 * inner_map_arith.bpf.c - a NULL-checked lookup in a map of maps is the inner map itself
 * (CONST_PTR_TO_MAP): no arithmetic on it ("R%d pointer arithmetic on map_ptr prohibited"),
 * while it may be handed to bpf_map_lookup_elem as it is.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define __naked __attribute__((naked))
#define __imm(name) [name] "i"(name)
#define __imm_addr(name) [name] "i"(&name)

struct slot {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct slot);
} slots SEC(".maps");

SEC("socket")
__failure __msg("R1 pointer arithmetic on map_ptr prohibited") __at_line(32)
__naked void moved_inner_map(void)
{
	asm volatile("r1 = 0;"
	             "*(u32 *)(r10 - 4) = r1;"
	             "r2 = r10;"
	             "r2 += -4;"
	             "r1 = %[slots] ll;"
	             "call %[bpf_map_lookup_elem];"
	             "if r0 == 0 goto 1f;"
	             "r2 = r10;"
	             "r2 += -4;"
	             "r1 = r0;"
	             "r1 += 8;"
	             "call %[bpf_map_lookup_elem];"
	             "1: r0 = 0;"
	             "exit;"
	             :
	             : __imm(bpf_map_lookup_elem), __imm_addr(slots)
	             : "r0", "r1", "r2", "r3", "r4", "r5", "memory");
}

char LICENSE[] SEC("license") = "GPL";
