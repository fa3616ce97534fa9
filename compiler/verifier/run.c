/*
 * run.c - verifier_run(): the preflight verifier's entry point, phase after phase as the
 * kernel's bpf_check() runs them.
 *
 * So far: the structural phases (verifier_check_structure_ex); value tracking and path
 * exploration are added here as they land.
 */
#include <time.h>

#include "verifier/verifier.h"

static uint64_t run_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int verifier_run(const struct bpf_insn *insns, size_t n, const struct vrf_options *opts,
		 struct diag_sink *sink, struct vrf_verdict *verdict, struct vrf_stats *stats)
{
	uint64_t start = run_now_ns();
	int err = verifier_check_structure_ex(insns, n, opts, sink, verdict);

	if (stats) {
		*stats = (struct vrf_stats){0};
		stats->duration_ns = run_now_ns() - start;
	}
	return err;
}
