/*
 * test_pkt_kernel.c - the packet-access cases against the live kernel: each program is
 * loaded with bpf_prog_load() as its program type and attach type, the kernel's verdict,
 * message and errno must equal the case's expectation, and verifier_run() must agree at
 * the same instruction.  Without the privileges to load programs the test exits 77
 * (ctest reports a skip).
 */
#include <check.h>

#include <bpfcc/runtime.h>

#include "../common/vrf_kcheck.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_kernel)
{
	const struct pkt_case *c = &pkt_cases[_i];
	struct vrf_options o = pkt_case_options(c);
	const struct vrf_kcheck k = {.name = c->name,
	                             .prog_type = c->prog_type,
	                             .attach_type = c->attach_type >= 0
	                                                ? (enum bpf_attach_type)c->attach_type
	                                                : (enum bpf_attach_type)0,
	                             .license = "GPL",
	                             .ok = c->ok,
	                             .kmsg = c->kmsg,
	                             .rule = c->rule};

	bpfcc_rt_result_free(vrf_kcheck_run(&k, c->insns, c->n, 1u << 20, &o, NULL));
}
END_TEST

int main(void)
{
	return vrf_kcheck_main("verifier_pkt_kernel", test_case_kernel, (int)pkt_ncases, 60);
}
