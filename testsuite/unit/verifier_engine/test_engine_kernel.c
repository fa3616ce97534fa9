/*
 * test_engine_kernel.c - the engine cases against the live kernel: each program is
 * loaded with bpf_prog_load() (socket filter, GPL, log level 1 with statistics) and the
 * kernel's verdict and message must equal the case's expectation; verifier_run() must
 * agree too.  For the loop and limit cases the processed-instruction counts of both are
 * printed side by side (and ours must stay within 2x of the kernel's).  Without the
 * privileges to load programs the test exits 77 (ctest reports a skip).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpfcc/runtime.h>

#include "../common/vrf_kcheck.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_kernel)
{
	const struct engine_case *c = &engine_cases[_i];
	/* one buffer, no doubling: the kernel's log rotates, so its tail (the message and the
	 * statistics) is kept even when the program logs more than fits */
	const struct vrf_kcheck k = {.name = c->name,
	                             .prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
	                             .ok = c->ok,
	                             .kmsg = c->kmsg,
	                             .rule = c->rule,
	                             .log_may_truncate = true,
	                             .insn_unknown_for_limits = true};
	struct bpfcc_rt_result *res;
	struct vrf_stats st;
	struct bpf_insn *insns;
	size_t n;

	insns = engine_case_insns(c, &n);
	ck_assert_ptr_nonnull(insns);
	res = vrf_kcheck_run(&k, insns, n, 4u << 20, NULL, &st);
	if (c->report_counts && res->processed_insns > 0) {
		printf("%-22s processed insns: kernel %ld, bpfcc %llu (x%.2f); states kernel "
		       "%ld/%ld, bpfcc %u/%u; time kernel %ld us, bpfcc %.0f us\n",
		       c->name, res->processed_insns, (unsigned long long)st.insns_processed,
		       (double)st.insns_processed / (double)res->processed_insns, res->total_states,
		       res->peak_states, st.total_states, st.peak_states, res->verification_usec,
		       st.duration_ns / 1e3);
		ck_assert_msg(st.insns_processed <= 2 * (uint64_t)res->processed_insns,
		              "%s: bpfcc processed %llu insns, more than twice the kernel's %ld",
		              c->name, (unsigned long long)st.insns_processed,
		              res->processed_insns);
	}
	bpfcc_rt_result_free(res);
	engine_case_free(c, insns);
}
END_TEST

/* --bench: one line per case, "name kernel_usec kernel_insns bpfcc_usec bpfcc_insns", for
 * bench/verifier.sh (best of `runs` runs for bpfcc; the kernel's own figure once). */
static int bench(int runs)
{
	struct bpfcc_rt_load_opts lo = {
	    .sz = sizeof(lo), .log_size = 4u << 20, .log_size_max = 4u << 20};
	size_t i;

	for (i = 0; i < engine_ncases; i++) {
		const struct engine_case *c = &engine_cases[i];
		struct bpfcc_rt_result *res = NULL;
		struct vrf_stats st, best = {0};
		struct bpf_insn *insns;
		size_t n;
		int r;

		insns = engine_case_insns(c, &n);
		if (!insns)
			return 1;
		for (r = 0; r < runs; r++) {
			verifier_run(insns, n, NULL, NULL, NULL, &st);
			if (r == 0 || st.duration_ns < best.duration_ns)
				best = st;
		}
		if (bpfcc_rt_load_insns(BPF_PROG_TYPE_SOCKET_FILTER, 0, insns, n, NULL, c->name,
		                        &lo, &res) == 0 &&
		    res)
			printf("%s %ld %ld %.1f %llu %llu\n", c->name, res->verification_usec,
			       res->processed_insns, best.duration_ns / 1e3,
			       (unsigned long long)best.insns_processed,
			       (unsigned long long)best.mem_peak);
		bpfcc_rt_result_free(res);
		engine_case_free(c, insns);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--bench") == 0) {
		char why[256] = "";

		if (bpfcc_rt_probe(why, sizeof(why)) < 0) {
			printf("SKIP: cannot load BPF programs here: %s\n", why);
			return 77;
		}
		return bench(argc > 2 ? atoi(argv[2]) : 5);
	}
	return vrf_kcheck_main("verifier_engine_kernel", test_case_kernel, (int)engine_ncases, 120);
}
