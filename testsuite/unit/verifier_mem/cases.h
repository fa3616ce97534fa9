/*
 * cases.h - test programs for the verifier's memory rules: raw instruction streams with
 * the program type and attach type they are loaded as, and what the kernel 6.18 verifier
 * says about them (privileged loader).
 *
 * Every expectation was taken from the live kernel and is re-checked against it by
 * test_verifier_mem_kernel on every run; test_verifier_mem checks verifier_run() against
 * the same expectations without a kernel.
 */
#ifndef BPFCC_TEST_MEM_CASES_H
#define BPFCC_TEST_MEM_CASES_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

#include "verifier/verifier.h"

struct mem_map_spec {
	enum bpf_map_type type;
	unsigned value_size, max_entries, map_flags;
};

struct mem_case {
	const char *name;
	enum bpf_prog_type prog_type;
	int32_t attach_type; /* enum bpf_attach_type; -1: none (0 is passed to the kernel) */
	const struct bpf_insn *insns;
	size_t n;
	bool ok;
	enum vrf_rule rule; /* when !ok */
	const char *kmsg;   /* the kernel's message when !ok */
	/* ld_imm64 map references (imm 0) name the test map: an array, 4-byte key,
	 * MEM_MAP_VALUE_SIZE-byte value, one entry; the kernel test puts its fd in */
	bool uses_map;
	/* the test map is read-only for programs (BPF_F_RDONLY_PROG), holds
	 * mem_frozen_value and is frozen before the load */
	bool frozen;
	/* another test map than the array above (uses_map implied): its type, value size,
	 * entries and map_flags (4-byte keys) */
	const struct mem_map_spec *map;
};

#define MEM_MAP_VALUE_SIZE 16

extern const struct mem_case mem_cases[];
extern const unsigned char mem_frozen_value[MEM_MAP_VALUE_SIZE];
extern const size_t mem_ncases;

/* The map case c uses (the default array when c->map is NULL). */
struct mem_map_spec mem_case_map(const struct mem_case *c);
/* The verifier options for case c (prog type, attach type, the test map's description). */
struct vrf_options mem_case_options(const struct mem_case *c);
/* Copies c's program into buf (at least c->n entries), map references set to map_fd. */
void mem_case_insns(const struct mem_case *c, int map_fd, struct bpf_insn *buf);

#endif
