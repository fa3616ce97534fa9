/*
 * cases.h - test programs for direct packet access: raw instruction streams with the
 * program type and attach type they are loaded as, and what the kernel 6.18 verifier
 * says about them (privileged loader).
 *
 * Every expectation was taken from the live kernel and is re-checked against it by
 * test_verifier_pkt_kernel on every run; test_verifier_pkt checks verifier_run() against
 * the same expectations without a kernel.
 */
#ifndef BPFCC_TEST_PKT_CASES_H
#define BPFCC_TEST_PKT_CASES_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

#include "verifier/verifier.h"

struct pkt_case {
	const char *name;
	enum bpf_prog_type prog_type;
	int32_t attach_type; /* enum bpf_attach_type; -1: none (0 is passed to the kernel) */
	const struct bpf_insn *insns;
	size_t n;
	bool ok;
	enum vrf_rule rule; /* when !ok */
	const char *kmsg;   /* the kernel's message when !ok */
};

extern const struct pkt_case pkt_cases[];
extern const size_t pkt_ncases;

/* The verifier options for case c (prog type, attach type). */
struct vrf_options pkt_case_options(const struct pkt_case *c);

#endif
