/*
 * test_mapfunc.c - verifier_run() on the helper/map compatibility cases (cases.c) without a
 * kernel: the verdict, rule, errno and kernel message must be the kernel's (the expectations
 * come from the live kernel and test_mapfunc_kernel.c re-checks them there).  Also: a map
 * bpfcc does not know is let through (when unsure, accept).
 */
#include <check.h>
#include <stdlib.h>

#include "../common/vrf_case.h"
#include "cases.h"
#include "verifier/verifier.h"

static struct mapfunc_maps maps_of(const struct mapfunc_case *c)
{
	struct mapfunc_maps m = {.n = 0};

	while (m.n < MAPFUNC_MAX_MAPS && c->maps[m.n]) {
		m.fds[m.n] = m.n;
		m.types[m.n] = c->maps[m.n];
		m.n++;
	}
	return m;
}

START_TEST(test_case_verdict)
{
	const struct mapfunc_case *c = &mapfunc_cases[_i];
	const struct vrf_case vc = {c->name, c->ok, c->kmsg, c->rule};
	struct mapfunc_maps m = maps_of(c);
	struct vrf_options o = mapfunc_case_options(c, &m);

	vrf_case_check(&vc, c->insns, c->n, &o, NULL);
}
END_TEST

/* Without map information no case is refused by this rule (the map may be of any type). */
START_TEST(test_unknown_maps)
{
	size_t i;

	for (i = 0; i < mapfunc_ncases; i++) {
		const struct mapfunc_case *c = &mapfunc_cases[i];
		struct vrf_options o = {.prog_type = c->prog_type};
		struct vrf_verdict v;
		int err;

		err = verifier_run(c->insns, c->n, &o, NULL, &v, NULL);
		ck_assert_msg(err == 0 || v.rule != VRF_R_MAP_FUNC,
		              "%s: refused an unknown map: %s", c->name, v.kernel_msg);
	}
}
END_TEST

int main(void)
{
	const TTest *const extra[] = {test_unknown_maps};

	return vrf_case_main("verifier_mapfunc", test_case_verdict, (int)mapfunc_ncases, extra, 1);
}
