/*
 * test_pkt.c - verifier_run() on the packet-access cases (cases.c) without a kernel: the
 * verdict, rule, errno and kernel message must be the kernel's (the expectations come
 * from the live kernel and test_pkt_kernel.c re-checks them there).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_verdict)
{
	const struct pkt_case *c = &pkt_cases[_i];
	struct vrf_options o = pkt_case_options(c);
	struct vrf_verdict v;
	int err;

	err = verifier_run(c->insns, c->n, &o, NULL, &v, NULL);
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
}
END_TEST

/* The trace prints packet pointers the kernel's way, the range always. */
static void keep_line(void *ctx, const char *line)
{
	char *buf = ctx;

	if (strlen(buf) + strlen(line) + 2 < 8192) {
		strcat(buf, line);
		strcat(buf, "\n");
	}
}

START_TEST(test_trace_range)
{
	const struct pkt_case *c = NULL;
	static char buf[8192];
	struct vrf_options o;
	struct vrf_verdict v;

	for (size_t i = 0; i < pkt_ncases; i++)
		if (strcmp(pkt_cases[i].name, "xdp_jgt_covers") == 0)
			c = &pkt_cases[i];
	ck_assert_ptr_nonnull(c);
	o = pkt_case_options(c);
	buf[0] = 0;
	o.trace_fn = keep_line;
	o.trace_ctx = buf;
	ck_assert_int_eq(verifier_run(c->insns, c->n, &o, NULL, &v, NULL), 0);
	ck_assert_msg(strstr(buf, "R2=pkt(r=14)") && strstr(buf, "R4=pkt(off=14,r=14)") &&
	                  strstr(buf, "R3=pkt_end()"),
	              "trace: %s", buf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier_pkt");
	TCase *tc = tcase_create("cases");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_case_verdict, 0, (int)pkt_ncases);
	tcase_add_test(tc, test_trace_range);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
