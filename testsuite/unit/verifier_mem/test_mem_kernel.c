/*
 * test_mem_kernel.c - the memory-rule cases against the live kernel: each program is
 * loaded with bpf_prog_load() as its program type and attach type (map references
 * pointing at a fresh array map of the cases' shape), and the kernel's
 * verdict and message must equal the case's expectation; verifier_run() must agree,
 * at the same instruction.  Without the privileges to load programs the test exits 77
 * (ctest reports a skip).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <unistd.h>

#include <bpfcc/runtime.h>

#include "../common/vrf_kcheck.h"
#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_kernel)
{
	const struct mem_case *c = &mem_cases[_i];
	struct vrf_options o = mem_case_options(c);
	struct bpfcc_rt_result *res;
	const struct vrf_kcheck k = {.name = c->name,
	                             .prog_type = c->prog_type,
	                             .attach_type = c->attach_type >= 0
	                                                ? (enum bpf_attach_type)c->attach_type
	                                                : (enum bpf_attach_type)0,
	                             .license = "GPL",
	                             .ok = c->ok,
	                             .kmsg = c->kmsg,
	                             .rule = c->rule};
	struct bpf_insn *insns = malloc(c->n * sizeof(*insns));
	int map_fd = -1;

	ck_assert_ptr_nonnull(insns);
	if (c->uses_map || c->map) {
		struct mem_map_spec ms = mem_case_map(c);
		LIBBPF_OPTS(bpf_map_create_opts, mo, .map_flags = ms.map_flags);
		int key = 0;

		map_fd = bpf_map_create(ms.type, "mem_test", 4, ms.value_size, ms.max_entries, &mo);
		ck_assert_msg(map_fd >= 0, "%s: cannot create the test map", c->name);
		if (c->frozen) {
			ck_assert_int_eq(bpf_map_update_elem(map_fd, &key, mem_frozen_value, 0), 0);
			ck_assert_int_eq(bpf_map_freeze(map_fd), 0);
		}
	}
	mem_case_insns(c, map_fd, insns);
	res = vrf_kcheck_run(&k, insns, c->n, 1u << 20, &o, NULL);
	bpfcc_rt_result_free(res);
	free(insns);
	if (map_fd >= 0)
		close(map_fd);
}
END_TEST

int main(void)
{
	return vrf_kcheck_main("verifier_mem_kernel", test_case_kernel, (int)mem_ncases, 60);
}
