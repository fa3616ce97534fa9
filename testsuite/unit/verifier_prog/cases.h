/*
 * cases.h - raw instruction programs for the program-type rules of the verifier (return
 * codes per program and attach type, the helper allow-list, helpers that might sleep), with
 * what the kernel 6.18 verifier says about them (privileged loader, GPL).
 *
 * Every expectation was taken from the live kernel and is re-checked against it by
 * test_verifier_prog_kernel on every run; test_verifier_prog checks verifier_run() against
 * the same expectations without a kernel.
 */
#ifndef BPFCC_TEST_PROG_CASES_H
#define BPFCC_TEST_PROG_CASES_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

#include "verifier/verifier.h"

struct prog_case {
	const char *name;
	enum bpf_prog_type prog_type;
	enum bpf_attach_type attach_type;
	const struct bpf_insn *insns;
	size_t n;
	bool ok;
	enum vrf_rule rule; /* when !ok */
	const char *kmsg;   /* the kernel's message when !ok */
};

extern const struct prog_case prog_cases[];
extern const size_t prog_ncases;

/* The verifier options a case is checked with (program and attach type). */
struct vrf_options prog_case_options(const struct prog_case *c);

#endif
