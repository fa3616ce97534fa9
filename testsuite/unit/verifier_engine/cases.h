/*
 * cases.h - the engine's test programs: raw instruction streams with what the kernel
 * 6.18 verifier says about them (privileged loader, socket filter unless stated).
 *
 * Every expectation was taken from the live kernel and is re-checked against it by
 * test_verifier_engine_kernel on every run; test_verifier_engine checks verifier_run()
 * against the same expectations without a kernel.
 */
#ifndef BPFCC_TEST_ENGINE_CASES_H
#define BPFCC_TEST_ENGINE_CASES_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

#include "verifier/verifier.h"

struct engine_case {
	const char *name;
	const struct bpf_insn *insns; /* static program, or NULL and build() */
	size_t n;
	/* Builds a generated program into *out (malloc'ed, caller frees); returns its length. */
	size_t (*build)(struct bpf_insn **out);
	bool ok;
	enum vrf_rule rule; /* when !ok */
	const char *kmsg;   /* the kernel's message when !ok */
	bool report_counts; /* print processed instructions against the kernel's */
};

extern const struct engine_case engine_cases[];
extern const size_t engine_ncases;

/* The instructions of case c (built if generated); free with engine_case_free(). */
struct bpf_insn *engine_case_insns(const struct engine_case *c, size_t *n);
void engine_case_free(const struct engine_case *c, struct bpf_insn *insns);

#endif
