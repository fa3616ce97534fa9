/*
 * test_pkt.c - verifier_run() on the packet-access cases (cases.c) without a kernel: the
 * verdict, rule, errno and kernel message must be the kernel's (the expectations come
 * from the live kernel and test_pkt_kernel.c re-checks them there).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/vrf_case.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_verdict)
{
	const struct pkt_case *c = &pkt_cases[_i];
	const struct vrf_case vc = {c->name, c->ok, c->kmsg, c->rule};
	struct vrf_options o = pkt_case_options(c);

	vrf_case_check(&vc, c->insns, c->n, &o, NULL);
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
	const TTest *const extra[] = {test_trace_range};

	return vrf_case_main("verifier_pkt", test_case_verdict, (int)pkt_ncases, extra,
	                     sizeof(extra) / sizeof(extra[0]));
}
