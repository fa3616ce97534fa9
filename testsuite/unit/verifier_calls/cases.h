/*
 * cases.h - raw instruction programs for the verifier's rules across frames (the
 * stack depth of call chains), with what the kernel 6.18 verifier says about them
 * (privileged loader, socket filter).
 *
 * Every expectation was taken from the live kernel and is re-checked against it by
 * test_verifier_calls_kernel on every run; test_verifier_calls checks verifier_run()
 * against the same expectations without a kernel.
 */
#ifndef BPFCC_TEST_CALLS_CASES_H
#define BPFCC_TEST_CALLS_CASES_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

#include "verifier/verifier.h"

struct calls_case {
	const char *name;
	const struct bpf_insn *insns;
	size_t n;
	bool ok;
	enum vrf_rule rule; /* when !ok */
	const char *kmsg;   /* the kernel's message when !ok */
};

extern const struct calls_case calls_cases[];
extern const size_t calls_ncases;

#endif
