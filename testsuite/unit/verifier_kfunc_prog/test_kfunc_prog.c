/*
 * test_kfunc_prog.c - the kfunc allow-list lookup (compiler/verifier/kfunc_prog.c) without
 * a kernel: facts checked on Linux 6.18 (bpf_task_acquire is refused to kprobe and
 * kretprobe programs, "calling kernel function bpf_task_acquire is not allowed", and
 * offered to tp_btf ones), how unprobed pairs fall back to their program type (fentry
 * answers as tp_btf and iter do; lsm and freplace cannot tell), and the table's shape.
 */
#include <check.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/kfunc.h"

static const struct {
	const char *name;
	const char *answers;
} rows[] = {
#define KFUNC_PROG_KERNEL(release)
#define KFUNC_PROG_CONFIG(prog, attach, flags, pname, aname, probed)
#define KFUNC_PROG(name, answers) {#name, answers},
#include "verifier/kfunc_prog.def"
#undef KFUNC_PROG_KERNEL
#undef KFUNC_PROG_CONFIG
#undef KFUNC_PROG
};

static const int nconfigs = 0
#define KFUNC_PROG_KERNEL(release)
#define KFUNC_PROG_CONFIG(prog, attach, flags, pname, aname, probed) +1
#define KFUNC_PROG(name, answers)
#include "verifier/kfunc_prog.def"
#undef KFUNC_PROG_KERNEL
#undef KFUNC_PROG_CONFIG
#undef KFUNC_PROG
    ;

START_TEST(test_shape)
{
	size_t i;
	unsigned refused = 0;

	ck_assert_int_gt(nconfigs, 30);
	ck_assert_uint_gt(sizeof(rows) / sizeof(rows[0]), 100);
	ck_assert_ptr_nonnull(kfunc_prog_kernel());
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ck_assert_msg(strlen(rows[i].answers) == (size_t)nconfigs,
		              "%s: %zu answers for %d configurations", rows[i].name,
		              strlen(rows[i].answers), nconfigs);
		ck_assert_msg(strspn(rows[i].answers, "+-.") == (size_t)nconfigs, "%s: \"%s\"",
		              rows[i].name, rows[i].answers);
		refused += strchr(rows[i].answers, '-') != NULL;
	}
	/* most kfuncs are registered for some hooks only */
	ck_assert_uint_gt(refused, 50);
}
END_TEST

START_TEST(test_kernel_facts)
{
	/* kprobe and kretprobe: BPF_PROG_TYPE_KPROBE without attach type */
	ck_assert_int_eq(kfunc_prog_allowed("bpf_task_acquire", BPF_PROG_TYPE_KPROBE, -1), 0);
	ck_assert_int_eq(
	    kfunc_prog_allowed("bpf_task_acquire", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP), 1);
	ck_assert_int_eq(kfunc_prog_allowed("bpf_rcu_read_lock", BPF_PROG_TYPE_KPROBE, -1), 1);
	ck_assert_int_eq(kfunc_prog_allowed("bpf_task_acquire", BPF_PROG_TYPE_SOCKET_FILTER, -1),
	                 0);
}
END_TEST

START_TEST(test_fallbacks)
{
	/* fentry could not be probed (lockdown): the tracing hook's other pairs answer */
	ck_assert_int_eq(
	    kfunc_prog_allowed("bpf_task_acquire", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY), 1);
	ck_assert_int_eq(kfunc_prog_allowed("bpf_task_acquire", BPF_PROG_TYPE_LSM, BPF_LSM_MAC),
	                 -ENOENT);
	ck_assert_int_eq(kfunc_prog_allowed("bpf_task_acquire", BPF_PROG_TYPE_EXT, -1), -ENOENT);
	ck_assert_int_eq(kfunc_prog_allowed("bpf_no_such_kfunc", BPF_PROG_TYPE_KPROBE, -1),
	                 -ENOENT);
	ck_assert_int_eq(kfunc_prog_allowed(NULL, BPF_PROG_TYPE_KPROBE, -1), -ENOENT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier_kfunc_prog");
	TCase *tc = tcase_create("table");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_shape);
	tcase_add_test(tc, test_kernel_facts);
	tcase_add_test(tc, test_fallbacks);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
