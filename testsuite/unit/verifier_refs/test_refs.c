/*
 * test_refs.c - verifier_run() on the reference cases (cases.c) without a kernel: the
 * verdict, rule, errno and kernel message must be the kernel's (the expectations come
 * from the live kernel and test_refs_kernel.c re-checks them there).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "../common/vrf_case.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_verdict)
{
	const struct refs_case *c = &refs_cases[_i];
	const struct vrf_case vc = {c->name, c->ok, c->kmsg, c->rule};
	struct vrf_options o = refs_case_options(c);

	vrf_case_check(&vc, c->insns, c->n, &o, NULL);
}
END_TEST

int main(void)
{
	return vrf_case_main("verifier_refs", test_case_verdict, (int)refs_ncases, NULL, 0);
}
