/*
 * vrf_case.h - the check every kernel-free raw-instruction verifier test makes: run
 * verifier_run() on a case and require the verdict the kernel gives (recorded in the
 * case, re-checked against the live kernel by the *_kernel tests through vrf_kcheck.h):
 * loads, or refuses with the case's rule, the kernel's message text and the rule's errno.
 * Assertions are Check's (ck_assert*).
 */
#ifndef BPFCC_TEST_VRF_CASE_H
#define BPFCC_TEST_VRF_CASE_H

#include <check.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

#include "verifier/verifier.h"

struct vrf_case {
	const char *name;
	bool ok;            /* the kernel loads it */
	const char *kmsg;   /* else: its message, exactly */
	enum vrf_rule rule; /* and bpfcc's rule for it */
};

/* Runs the check with verifier options `o` (may be NULL); *st gets bpfcc's statistics
 * when non-NULL. */
void vrf_case_check(const struct vrf_case *c, const struct bpf_insn *insns, size_t n,
                    const struct vrf_options *o, struct vrf_stats *st);

/* main() of a kernel-free test: `test` over [0, ncases), then the `nextra` tests of
 * `extra` (may be NULL) once each, in one suite. */
int vrf_case_main(const char *suite, const TTest *test, int ncases, const TTest *const *extra,
                  size_t nextra);

#endif
