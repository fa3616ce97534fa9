/*
 * vrf_kcheck.c - the kernel-against-bpfcc comparison shared by the verifier's
 * raw-instruction tests (see vrf_kcheck.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrf_kcheck.h"

struct bpfcc_rt_result *vrf_kcheck_run(const struct vrf_kcheck *k, const struct bpf_insn *insns,
                                       size_t n, size_t log_size, const struct vrf_options *o,
                                       struct vrf_stats *st)
{
	struct bpfcc_rt_result *res = NULL;
	struct bpfcc_rt_load_opts lo = {
	    .sz = sizeof(lo), .log_size = log_size, .log_size_max = log_size};
	struct vrf_verdict v;
	int err;

	err = bpfcc_rt_load_insns(k->prog_type, k->attach_type, insns, n, k->license, k->name, &lo,
	                          &res);
	ck_assert_msg(err == 0 && res, "%s: kernel load could not run: %d", k->name, err);
	if (k->ok) {
		ck_assert_msg(res->verdict == BPFCC_RT_ACCEPTED, "%s: kernel refused: %s", k->name,
		              res->kernel_msg ? res->kernel_msg : "?");
	} else {
		ck_assert_msg(res->verdict == BPFCC_RT_REJECTED,
		              "%s: kernel verdict %s, want \"%s\"", k->name,
		              bpfcc_rt_verdict_name(res->verdict), k->kmsg);
		ck_assert_msg(res->kernel_msg && strcmp(res->kernel_msg, k->kmsg) == 0,
		              "%s: kernel says \"%s\", want \"%s\"", k->name,
		              res->kernel_msg ? res->kernel_msg : "", k->kmsg);
		if (!(k->log_may_truncate && res->log_truncated))
			ck_assert_int_eq(-res->err, vrf_rule_errno(k->rule));
	}
	err = verifier_run(insns, n, o, NULL, &v, st);
	ck_assert_msg((err == 0) == k->ok, "%s: bpfcc disagrees with the kernel (%s)", k->name,
	              v.kernel_msg);
	if (!k->ok) {
		bool limit = k->rule == VRF_R_TOO_COMPLEX || k->rule == VRF_R_INFINITE_LOOP ||
		             k->rule == VRF_R_JMP_SEQ;

		ck_assert_str_eq(v.kernel_msg, res->kernel_msg);
		if (res->insn >= 0 && !(k->insn_unknown_for_limits && limit))
			ck_assert_msg(v.insn == res->insn,
			              "%s: kernel fails at insn %d, bpfcc at %d", k->name,
			              res->insn, v.insn);
	}
	return res;
}

int vrf_kcheck_main(const char *suite, const TTest *test, int ncases, double timeout)
{
	Suite *s = suite_create(suite);
	TCase *tc = tcase_create("kernel");
	char why[256] = "";
	SRunner *sr;
	int failed;

	if (bpfcc_rt_probe(why, sizeof(why)) < 0) {
		printf("SKIP: cannot load BPF programs here: %s\n", why);
		return 77;
	}
	tcase_set_timeout(tc, timeout);
	tcase_add_loop_test(tc, test, 0, ncases);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
