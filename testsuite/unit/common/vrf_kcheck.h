/*
 * vrf_kcheck.h - the one comparison every raw-instruction verifier test makes against the
 * live kernel: load the program (bpfcc_rt_load_insns), require the kernel's verdict,
 * message and errno to be the case's expectation, then require verifier_run() to agree
 * (verdict, kernel message, failing instruction).  Assertions are Check's (ck_assert*).
 */
#ifndef BPFCC_TEST_VRF_KCHECK_H
#define BPFCC_TEST_VRF_KCHECK_H

#include <check.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>

#include <bpfcc/runtime.h>

#include "verifier/verifier.h"

struct vrf_kcheck {
	const char *name;
	enum bpf_prog_type prog_type;
	enum bpf_attach_type attach_type;
	const char *license; /* NULL: the runtime's default */
	bool ok;             /* the kernel loads it */
	const char *kmsg;    /* else: its message, exactly */
	enum vrf_rule rule;  /* and the rule whose errno bpf() returns */
	/* The kernel's log may outgrow the buffer: then bpf() says ENOSPC, not the rule's
	 * errno, and that check is left out. */
	bool log_may_truncate;
	/* Limits and loops are detected before the kernel prints the failing instruction:
	 * the instruction is not compared for them. */
	bool insn_unknown_for_limits;
};

/*
 * Runs the comparison with log buffer `log_size` (fixed: the kernel's log rotates, so its
 * tail is kept) and verifier options `o` (may be NULL).  Returns the kernel's result for
 * further checks (free with bpfcc_rt_result_free()); *st gets bpfcc's statistics when
 * non-NULL.
 */
struct bpfcc_rt_result *vrf_kcheck_run(const struct vrf_kcheck *k, const struct bpf_insn *insns,
                                       size_t n, size_t log_size, const struct vrf_options *o,
                                       struct vrf_stats *st);

/*
 * main() of a kernel test: exits 77 with the reason when BPF programs cannot be loaded,
 * else runs `test` over [0, ncases) with `timeout` seconds per case.
 */
int vrf_kcheck_main(const char *suite, const TTest *test, int ncases, double timeout);

#endif
