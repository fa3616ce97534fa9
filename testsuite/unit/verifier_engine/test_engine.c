/*
 * test_engine.c - verifier_run() on the engine cases (cases.c) without a kernel: the
 * verdict, rule, instruction and kernel message must be the kernel's (the expectations
 * come from the live kernel and test_engine_kernel.c re-checks them there).  Also: the
 * trace callback sees every processed instruction, findings carry the path, and the
 * statistics are filled.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "insn_build.h"
#include "verifier/verifier.h"

START_TEST(test_case_verdict)
{
	const struct engine_case *c = &engine_cases[_i];
	struct vrf_verdict v;
	struct vrf_stats st;
	struct bpf_insn *insns;
	size_t n;
	int err;

	insns = engine_case_insns(c, &n);
	ck_assert_ptr_nonnull(insns);
	err = verifier_run(insns, n, NULL, NULL, &v, &st);
	if (c->ok) {
		ck_assert_msg(err == 0, "%s: expected to load, got \"%s\" at insn %d", c->name,
		              v.kernel_msg, v.insn);
	} else {
		ck_assert_msg(err == -EINVAL, "%s: expected \"%s\", got err %d", c->name, c->kmsg,
		              err);
		ck_assert_str_eq(v.kernel_msg, c->kmsg);
		ck_assert_int_eq(v.rule, c->rule);
		ck_assert_int_eq(v.kernel_errno, vrf_rule_errno(c->rule));
	}
	ck_assert_uint_gt(st.insns_processed, 0);
	if (c->report_counts)
		printf("%-22s bpfcc: processed %llu insns, total_states %u, peak_states %u, "
		       "%.3f ms\n",
		       c->name, (unsigned long long)st.insns_processed, st.total_states,
		       st.peak_states, st.duration_ns / 1e6);
	engine_case_free(c, insns);
}
END_TEST

struct trace_capture {
	int lines;
	bool saw_insn, saw_from;
};

static void capture_line(void *ctx, const char *line)
{
	struct trace_capture *t = ctx;

	t->lines++;
	if (strstr(line, "(85) call"))
		t->saw_insn = true;
	if (strncmp(line, "from ", 5) == 0)
		t->saw_from = true;
}

START_TEST(test_trace)
{
	const struct bpf_insn prog[] = {CALL(BPF_FUNC_get_prandom_u32),
	                                JMP_IMM(BPF_JGT, BPF_REG_0, 3, 1), MOV64_IMM(BPF_REG_0, 1),
	                                EXIT()};
	struct trace_capture t = {0};
	struct vrf_options o = {.prog_type = BPF_PROG_TYPE_SOCKET_FILTER};
	struct vrf_stats st;

	o.trace_fn = capture_line;
	o.trace_ctx = &t;
	ck_assert_int_eq(verifier_run(prog, 4, &o, NULL, NULL, &st), 0);
	ck_assert(t.saw_insn);
	ck_assert(t.saw_from);
	ck_assert_int_ge(t.lines, (int)st.insns_processed);
}
END_TEST

START_TEST(test_finding_has_path)
{
	const struct bpf_insn prog[] = {
	    CALL(BPF_FUNC_get_prandom_u32), JMP_IMM(BPF_JGT, BPF_REG_0, 3, 1),
	    MOV64_REG(BPF_REG_0, BPF_REG_9), MOV64_IMM(BPF_REG_0, 0), EXIT()};
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct diag_sink *sink;
	struct vrf_verdict v;

	ck_assert_ptr_nonnull(out);
	sink = diag_sink_new(out, DIAG_FORMAT_JSON);
	ck_assert_ptr_nonnull(sink);
	ck_assert_int_eq(verifier_run(prog, 5, NULL, sink, &v, NULL), -EINVAL);
	ck_assert_int_eq(v.insn, 2);
	diag_sink_free(sink);
	fclose(out);
	ck_assert_msg(strstr(buf, "verifier-uninit-register") != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "R9 !read_ok") != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "branch not taken at insn 1") != NULL, "%s", buf);
	free(buf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier_engine");
	TCase *tc = tcase_create("cases");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_case_verdict, 0, (int)engine_ncases);
	tcase_add_test(tc, test_trace);
	tcase_add_test(tc, test_finding_has_path);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
