/*
 * cases.h - test programs for the verifier's reference rules: raw instruction streams
 * (ring buffer reservations, socket lookups) with the program type they are loaded as
 * and what the kernel 6.18 verifier says about them (privileged loader).
 *
 * Every expectation was taken from the live kernel and is re-checked against it by
 * verifier_refs_kernel on every run; verifier_refs checks verifier_run() against the
 * same expectations without a kernel.
 */
#ifndef BPFCC_TEST_REFS_CASES_H
#define BPFCC_TEST_REFS_CASES_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

#include "verifier/verifier.h"

struct refs_case {
	const char *name;
	enum bpf_prog_type prog_type;
	const struct bpf_insn *insns;
	size_t n;
	bool ok;
	enum vrf_rule rule; /* when !ok */
	const char *kmsg;   /* the kernel's message when !ok */
};

/* ld_imm64 map references (BPF_PSEUDO_MAP_FD) with imm 0 name a ring buffer of
 * REFS_RINGBUF_SIZE bytes, with imm 1 a program array of one slot; the kernel test puts
 * their fds in. */
#define REFS_RINGBUF_SIZE 4096

extern const struct refs_case refs_cases[];
extern const size_t refs_ncases;

/* The verifier options for case c. */
struct vrf_options refs_case_options(const struct refs_case *c);
/* Copies c's program into buf (at least c->n entries), map references set to map_fd (imm 0)
 * and prog_array_fd (imm 1). */
void refs_case_insns(const struct refs_case *c, int map_fd, int prog_array_fd,
                     struct bpf_insn *buf);

#endif
