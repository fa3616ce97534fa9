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

#include "cases.h"
#include "verifier/verifier.h"

START_TEST(test_case_kernel)
{
	const struct mem_case *c = &mem_cases[_i];
	struct vrf_options o = mem_case_options(c);
	struct bpfcc_rt_result *res = NULL;
	struct bpfcc_rt_load_opts lo = {
	    .sz = sizeof(lo), .log_size = 1u << 20, .log_size_max = 1u << 20};
	enum bpf_attach_type at =
	    c->attach_type >= 0 ? (enum bpf_attach_type)c->attach_type : (enum bpf_attach_type)0;
	struct bpf_insn *insns = malloc(c->n * sizeof(*insns));
	struct vrf_verdict v;
	int map_fd = -1, err;

	ck_assert_ptr_nonnull(insns);
	if (c->uses_map) {
		LIBBPF_OPTS(bpf_map_create_opts, mo,
		            .map_flags = c->frozen ? BPF_F_RDONLY_PROG : 0);
		int key = 0;

		map_fd =
		    bpf_map_create(BPF_MAP_TYPE_ARRAY, "mem_test", 4, MEM_MAP_VALUE_SIZE, 1, &mo);
		ck_assert_msg(map_fd >= 0, "%s: cannot create the test map", c->name);
		if (c->frozen) {
			ck_assert_int_eq(bpf_map_update_elem(map_fd, &key, mem_frozen_value, 0), 0);
			ck_assert_int_eq(bpf_map_freeze(map_fd), 0);
		}
	}
	mem_case_insns(c, map_fd, insns);
	err = bpfcc_rt_load_insns(c->prog_type, at, insns, c->n, "GPL", c->name, &lo, &res);
	ck_assert_msg(err == 0 && res, "%s: kernel load could not run: %d", c->name, err);
	if (c->ok) {
		ck_assert_msg(res->verdict == BPFCC_RT_ACCEPTED, "%s: kernel refused: %s", c->name,
		              res->kernel_msg ? res->kernel_msg : "?");
	} else {
		ck_assert_msg(res->verdict == BPFCC_RT_REJECTED,
		              "%s: kernel verdict %s, want \"%s\"", c->name,
		              bpfcc_rt_verdict_name(res->verdict), c->kmsg);
		ck_assert_msg(res->kernel_msg && strcmp(res->kernel_msg, c->kmsg) == 0,
		              "%s: kernel says \"%s\", want \"%s\"", c->name,
		              res->kernel_msg ? res->kernel_msg : "", c->kmsg);
		ck_assert_int_eq(-res->err, vrf_rule_errno(c->rule));
	}
	err = verifier_run(insns, c->n, &o, NULL, &v, NULL);
	ck_assert_msg((err == 0) == c->ok, "%s: bpfcc disagrees with the kernel (%s)", c->name,
	              v.kernel_msg);
	if (!c->ok) {
		ck_assert_str_eq(v.kernel_msg, res->kernel_msg);
		if (res->insn >= 0)
			ck_assert_msg(v.insn == res->insn,
			              "%s: kernel fails at insn %d, bpfcc at %d", c->name,
			              res->insn, v.insn);
	}
	bpfcc_rt_result_free(res);
	free(insns);
	if (map_fd >= 0)
		close(map_fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier_mem_kernel");
	TCase *tc = tcase_create("kernel");
	char why[256] = "";
	SRunner *sr;
	int failed;

	if (bpfcc_rt_probe(why, sizeof(why)) < 0) {
		printf("SKIP: cannot load BPF programs here: %s\n", why);
		return 77;
	}
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_case_kernel, 0, (int)mem_ncases);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
