/*
 * test_mapfunc_kernel.c - the helper/map compatibility cases against the live kernel: the
 * maps of each case are created with the sizes cases.c gives bpfcc, the program is loaded
 * as its program type, and the kernel's verdict and message must equal the case's
 * expectation; verifier_run() must agree, at the same instruction.  Without the privileges
 * to load programs the test exits 77 (ctest reports a skip).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include <bpfcc/runtime.h>

#include "../common/vrf_kcheck.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_kernel)
{
	const struct mapfunc_case *c = &mapfunc_cases[_i];
	struct mapfunc_maps m = {.n = 0};
	struct vrf_options o;
	struct bpfcc_rt_result *res;
	const struct vrf_kcheck k = {.name = c->name,
	                             .prog_type = c->prog_type,
	                             .attach_type = c->attach_type,
	                             .license = "GPL",
	                             .ok = c->ok,
	                             .kmsg = c->kmsg,
	                             .rule = c->rule};
	struct bpf_insn *insns = malloc(c->n * sizeof(*insns));
	size_t i;
	int j;

	ck_assert_ptr_nonnull(insns);
	while (m.n < MAPFUNC_MAX_MAPS && c->maps[m.n]) {
		struct vrf_map_info mi;

		mapfunc_map_info(c->maps[m.n], &mi);
		m.types[m.n] = mi.type;
		m.fds[m.n] = bpf_map_create((enum bpf_map_type)mi.type, "mapfunc", mi.key_size,
		                            mi.value_size, mi.max_entries, NULL);
		ck_assert_msg(m.fds[m.n] >= 0, "%s: cannot create a map of type %u", c->name,
		              mi.type);
		m.n++;
	}
	memcpy(insns, c->insns, c->n * sizeof(*insns));
	for (i = 0; i < c->n; i++)
		if (insns[i].code == (BPF_LD | BPF_DW | BPF_IMM) &&
		    insns[i].src_reg == BPF_PSEUDO_MAP_FD && insns[i].imm < m.n)
			insns[i].imm = m.fds[insns[i].imm];
	o = mapfunc_case_options(c, &m);
	res = vrf_kcheck_run(&k, insns, c->n, 1u << 20, &o, NULL);
	bpfcc_rt_result_free(res);
	free(insns);
	for (j = 0; j < m.n; j++)
		close(m.fds[j]);
}
END_TEST

int main(void)
{
	return vrf_kcheck_main("verifier_mapfunc_kernel", test_case_kernel, (int)mapfunc_ncases,
	                       60);
}
