/*
 * test_runtime_kernel.c - the runtime loader against the live kernel: a program the
 * verifier accepts, one it rejects (message, instruction, source line), programs that
 * fail before the verifier (fentry to a function that does not exist; fentry under
 * lockdown's EPERM), whole-object loads, raw instruction loads and log-buffer growth.
 *
 * The BPF objects are built at test time by clang-19 from the sources below.  Without
 * the privileges to load BPF programs the test exits 77 (ctest's skip) and says why.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpfcc/runtime.h"

static char tmpdir[] = "/tmp/bpfcc-rt-test-XXXXXX";
static char obj_maps[256], obj_trace[256], obj_tail[256];

/* Line 17 is the unchecked dereference in null_deref. */
static const char src_maps[] =
    "#include <linux/bpf.h>\n"                                 /* 1 */
    "#include <bpf/bpf_helpers.h>\n"                           /* 2 */
    "struct {\n"                                               /* 3 */
    "	__uint(type, BPF_MAP_TYPE_HASH);\n"                    /* 4 */
    "	__uint(max_entries, 4);\n"                             /* 5 */
    "	__type(key, int);\n"                                   /* 6 */
    "	__type(value, long);\n"                                /* 7 */
    "} h SEC(\".maps\");\n"                                    /* 8 */
    "SEC(\"socket\")\n"                                        /* 9 */
    "int good(void *ctx)\n"                                    /* 10 */
    "{\n"                                                      /* 11 */
    "	int k = 0;\n"                                          /* 12 */
    "	long *v = bpf_map_lookup_elem(&h, &k);\n"              /* 13 */
    "	return v ? *v : 0;\n"                                  /* 14 */
    "}\n"                                                      /* 15 */
    "SEC(\"socket\") int null_deref(void *ctx) { int k = 0;\n" /* 16 */
    "	long *v = bpf_map_lookup_elem(&h, &k); return *v;\n"   /* 17 */
    "}\n"
    "char LICENSE[] SEC(\"license\") = \"GPL\";\n";

static const char src_trace[] = "#include <linux/bpf.h>\n"
                                "#include <bpf/bpf_helpers.h>\n"
                                "SEC(\"fentry/bpfcc_no_such_function_xyz\")\n"
                                "int missing(void *ctx) { return 0; }\n"
                                "SEC(\"fentry/do_unlinkat\")\n"
                                "int existing(void *ctx) { return 0; }\n"
                                "char LICENSE[] SEC(\"license\") = \"GPL\";\n";

/* A program array whose initial value names the other programs (libbpf fills it at load). */
static const char src_tail[] =
    "#include <linux/bpf.h>\n"
    "#include <bpf/bpf_helpers.h>\n"
    "SEC(\"xdp\") int leaf(struct xdp_md *ctx) { return XDP_PASS; }\n"
    "struct {\n"
    "	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);\n"
    "	__uint(max_entries, 1);\n"
    "	__type(key, __u32);\n"
    "	__array(values, int(struct xdp_md *));\n"
    "} jumps SEC(\".maps\") = { .values = { [0] = (void *)&leaf } };\n"
    "SEC(\"xdp\") int entry(struct xdp_md *ctx)\n"
    "{ bpf_tail_call(ctx, &jumps, 0); return XDP_DROP; }\n"
    "char LICENSE[] SEC(\"license\") = \"GPL\";\n";

static int build(const char *name, const char *src, char *obj, size_t obj_size)
{
	char path[256], inc[128];
	FILE *f;
	pid_t pid;
	int status;

	snprintf(path, sizeof(path), "%s/%s.bpf.c", tmpdir, name);
	snprintf(obj, obj_size, "%s/%s.bpf.o", tmpdir, name);
	snprintf(inc, sizeof(inc), "-I/usr/include/%s", BPFCC_MULTIARCH);
	f = fopen(path, "w");
	if (!f || fputs(src, f) < 0 || fclose(f))
		return -1;
	pid = fork();
	if (pid == 0) {
		execl(BPFCC_CLANG, BPFCC_CLANG, "-O2", "-g", "-target", "bpf", "-mcpu=v3", inc,
		      "-c", path, "-o", obj, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static struct bpfcc_rt_object *open_obj(const char *path)
{
	struct bpfcc_rt_object *obj = NULL;

	ck_assert_int_eq(bpfcc_rt_object_open_file(path, &obj), 0);
	ck_assert_ptr_nonnull(obj);
	return obj;
}

START_TEST(test_accepted)
{
	struct bpfcc_rt_object *obj = open_obj(obj_maps);
	struct bpfcc_rt_result *r = NULL;

	ck_assert_uint_eq(bpfcc_rt_object_program_count(obj), 2);
	ck_assert_int_eq(bpfcc_rt_load_program(obj, "good", NULL, &r), 0);
	ck_assert_int_eq(r->verdict, BPFCC_RT_ACCEPTED);
	ck_assert_int_eq(r->err, 0);
	ck_assert_str_eq(r->program, "good");
	ck_assert_str_eq(r->section, "socket");
	ck_assert_ptr_null(r->kernel_msg);
	ck_assert_int_gt(r->processed_insns, 0);
	ck_assert_int_ge(r->verification_usec, 0);
	ck_assert_ptr_nonnull(r->kernel_release);
	ck_assert_int_gt(strlen(r->kernel_release), 0);
	bpfcc_rt_result_free(r);
	bpfcc_rt_object_free(obj);
}
END_TEST

START_TEST(test_rejected)
{
	struct bpfcc_rt_object *obj = open_obj(obj_maps);
	struct bpfcc_rt_result *r = NULL;

	ck_assert_int_eq(bpfcc_rt_load_program(obj, "null_deref", NULL, &r), 0);
	ck_assert_int_eq(r->verdict, BPFCC_RT_REJECTED);
	ck_assert_int_eq(r->step, BPFCC_RT_STEP_PROG_LOAD);
	ck_assert_int_eq(r->err, -EACCES);
	ck_assert_str_eq(r->kernel_msg, "R0 invalid mem access 'map_value_or_null'");
	ck_assert_uint_eq(r->src_line, 17);
	ck_assert_ptr_nonnull(strstr(r->src_file, "maps.bpf.c"));
	ck_assert_int_ge(r->insn, 0);
	/* The failing instruction is the last one the log shows. */
	{
		char needle[32];

		snprintf(needle, sizeof(needle), "\n%d: (", r->insn);
		ck_assert_ptr_nonnull(strstr(r->log, needle));
	}
	ck_assert_int_gt(r->processed_insns, 0);
	bpfcc_rt_result_free(r);
	ck_assert_int_eq(bpfcc_rt_load_program(obj, "no_such_prog", NULL, &r), -ENOENT);
	ck_assert_ptr_null(r);
	bpfcc_rt_object_free(obj);
}
END_TEST

/* Refused before the verifier: no log, a distinct verdict and step. */
START_TEST(test_failed_attach_target)
{
	struct bpfcc_rt_object *obj = open_obj(obj_trace);
	struct bpfcc_rt_result *r = NULL;

	ck_assert_int_eq(bpfcc_rt_load_program(obj, "missing", NULL, &r), 0);
	ck_assert_int_eq(r->verdict, BPFCC_RT_FAILED);
	ck_assert_int_eq(r->step, BPFCC_RT_STEP_ATTACH_TARGET);
	ck_assert_int_lt(r->err, 0);
	ck_assert_str_eq(r->log, "");
	ck_assert_ptr_nonnull(r->libbpf_msg);
	ck_assert_ptr_nonnull(strstr(r->libbpf_msg, "bpfcc_no_such_function_xyz"));
	bpfcc_rt_result_free(r);
	bpfcc_rt_object_free(obj);
}
END_TEST

/* fentry to a real function: lockdown=integrity refuses with EPERM before the verifier;
 * on a kernel without lockdown the program loads. */
START_TEST(test_failed_lockdown)
{
	struct bpfcc_rt_object *obj = open_obj(obj_trace);
	struct bpfcc_rt_result *r = NULL;

	ck_assert_int_eq(bpfcc_rt_load_program(obj, "existing", NULL, &r), 0);
	ck_assert_int_ne(r->verdict, BPFCC_RT_REJECTED);
	if (r->verdict == BPFCC_RT_FAILED) {
		ck_assert_int_eq(r->err, -EPERM);
		ck_assert_int_eq(r->step, BPFCC_RT_STEP_PROG_LOAD);
		ck_assert_str_eq(r->log, "");
	}
	bpfcc_rt_result_free(r);
	bpfcc_rt_object_free(obj);
}
END_TEST

/* libbpf loads in order: "good" loads, then "null_deref" is refused. */
START_TEST(test_load_object)
{
	struct bpfcc_rt_object *obj = open_obj(obj_maps);
	struct bpfcc_rt_result **res = NULL;
	size_t n = 0;

	ck_assert_int_eq(bpfcc_rt_load_object(obj, NULL, &res, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(res[0]->program, "good");
	ck_assert_int_eq(res[0]->verdict, BPFCC_RT_ACCEPTED);
	ck_assert_str_eq(res[1]->program, "null_deref");
	ck_assert_int_eq(res[1]->verdict, BPFCC_RT_REJECTED);
	ck_assert_str_eq(res[1]->kernel_msg, "R0 invalid mem access 'map_value_or_null'");
	ck_assert_uint_eq(res[1]->src_line, 17);
	bpfcc_rt_results_free(res, n);
	bpfcc_rt_object_free(obj);
}
END_TEST

START_TEST(test_load_object_attach_failure)
{
	struct bpfcc_rt_object *obj = open_obj(obj_trace);
	struct bpfcc_rt_result **res = NULL;
	size_t n = 0;

	ck_assert_int_eq(bpfcc_rt_load_object(obj, NULL, &res, &n), 0);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(res[i]->verdict, BPFCC_RT_FAILED);
		ck_assert_int_eq(res[i]->step, BPFCC_RT_STEP_ATTACH_TARGET);
	}
	bpfcc_rt_results_free(res, n);
	bpfcc_rt_object_free(obj);
}
END_TEST

START_TEST(test_insns)
{
	const struct bpf_insn ok[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	const struct bpf_insn bad[] = {{.code = BPF_JMP | BPF_EXIT}};
	struct bpfcc_rt_result *r = NULL;

	ck_assert_int_eq(
	    bpfcc_rt_load_insns(BPF_PROG_TYPE_SOCKET_FILTER, 0, ok, 2, NULL, "ok", NULL, &r), 0);
	ck_assert_int_eq(r->verdict, BPFCC_RT_ACCEPTED);
	ck_assert_int_eq(r->processed_insns, 2);
	bpfcc_rt_result_free(r);
	ck_assert_int_eq(
	    bpfcc_rt_load_insns(BPF_PROG_TYPE_SOCKET_FILTER, 0, bad, 1, NULL, "bad", NULL, &r), 0);
	ck_assert_int_eq(r->verdict, BPFCC_RT_REJECTED);
	ck_assert_int_eq(r->err, -EACCES);
	ck_assert_str_eq(r->kernel_msg, "R0 !read_ok");
	ck_assert_int_eq(r->insn, 0);
	bpfcc_rt_result_free(r);
	ck_assert_int_eq(
	    bpfcc_rt_load_insns(BPF_PROG_TYPE_SOCKET_FILTER, 0, ok, 0, NULL, "none", NULL, &r),
	    -EINVAL);
}
END_TEST

/* A tiny first buffer grows until the whole log fits; a capped one keeps the tail. */
START_TEST(test_log_growth)
{
	struct bpfcc_rt_load_opts grow = {.sz = sizeof(grow), .log_size = 64};
	struct bpfcc_rt_load_opts cap = {.sz = sizeof(cap), .log_size = 64, .log_size_max = 128};
	struct bpfcc_rt_object *obj = open_obj(obj_maps);
	struct bpfcc_rt_result *r = NULL;

	ck_assert_int_eq(bpfcc_rt_load_program(obj, "null_deref", &grow, &r), 0);
	ck_assert_int_eq(r->verdict, BPFCC_RT_REJECTED);
	ck_assert(!r->log_truncated);
	ck_assert_int_gt(strlen(r->log), 128);
	ck_assert_str_eq(r->kernel_msg, "R0 invalid mem access 'map_value_or_null'");
	bpfcc_rt_result_free(r);

	ck_assert_int_eq(bpfcc_rt_load_program(obj, "null_deref", &cap, &r), 0);
	ck_assert_int_eq(r->verdict, BPFCC_RT_REJECTED);
	ck_assert(r->log_truncated);
	ck_assert_int_lt(strlen(r->log), 128);
	bpfcc_rt_result_free(r);

	/* Accepted programs fill a log too (statistics); the verdict must survive a cap. */
	ck_assert_int_eq(bpfcc_rt_load_program(obj, "good", &cap, &r), 0);
	ck_assert_int_eq(r->verdict, BPFCC_RT_ACCEPTED);
	bpfcc_rt_result_free(r);
	bpfcc_rt_object_free(obj);
}
END_TEST

/* libbpf 1.1 cannot fill a program array naming a program it does not load: the loader
 * then loads the object whole, so that each program gets the kernel's real verdict. */
START_TEST(test_prog_array_values)
{
	struct bpfcc_rt_object *obj = open_obj(obj_tail);
	struct bpfcc_rt_result *r = NULL;

	ck_assert_int_eq(bpfcc_rt_load_program(obj, "entry", NULL, &r), 0);
	ck_assert_str_eq(bpfcc_rt_verdict_name(r->verdict), "accepted");
	ck_assert_int_gt(r->processed_insns, 0);
	bpfcc_rt_result_free(r);
	ck_assert_int_eq(bpfcc_rt_load_program(obj, "leaf", NULL, &r), 0);
	ck_assert_str_eq(bpfcc_rt_verdict_name(r->verdict), "accepted");
	bpfcc_rt_result_free(r);
	bpfcc_rt_object_free(obj);
}
END_TEST

START_TEST(test_open_errors)
{
	struct bpfcc_rt_object *obj = NULL;
	char garbage[256];

	memset(garbage, 0x5a, sizeof(garbage));
	ck_assert_int_eq(bpfcc_rt_object_open_file("/nonexistent/x.bpf.o", &obj), -ENOENT);
	ck_assert_ptr_null(obj);
	ck_assert_int_lt(bpfcc_rt_object_open_mem(garbage, sizeof(garbage), "garbage", &obj), 0);
	ck_assert_ptr_null(obj);
	ck_assert_int_eq(bpfcc_rt_object_open_mem(NULL, 0, "empty", &obj), -EINVAL);
}
END_TEST

static void cleanup(void)
{
	unlink(obj_maps);
	unlink(obj_trace);
	snprintf(obj_maps, sizeof(obj_maps), "%s/maps.bpf.c", tmpdir);
	unlink(obj_maps);
	snprintf(obj_trace, sizeof(obj_trace), "%s/trace.bpf.c", tmpdir);
	unlink(obj_trace);
	unlink(obj_tail);
	snprintf(obj_tail, sizeof(obj_tail), "%s/tail.bpf.c", tmpdir);
	unlink(obj_tail);
	rmdir(tmpdir);
}

int main(void)
{
	Suite *s = suite_create("runtime_kernel");
	TCase *tc = tcase_create("kernel");
	char why[256];
	SRunner *sr;
	int failed;

	if (bpfcc_rt_probe(why, sizeof(why))) {
		printf("SKIP: the kernel cannot be asked: %s\n", why);
		return 77;
	}
	if (!mkdtemp(tmpdir) || build("maps", src_maps, obj_maps, sizeof(obj_maps)) ||
	    build("trace", src_trace, obj_trace, sizeof(obj_trace)) ||
	    build("tail", src_tail, obj_tail, sizeof(obj_tail))) {
		printf("FAIL: cannot build the test objects with %s\n", BPFCC_CLANG);
		cleanup();
		return 1;
	}
	tcase_add_test(tc, test_accepted);
	tcase_add_test(tc, test_rejected);
	tcase_add_test(tc, test_failed_attach_target);
	tcase_add_test(tc, test_failed_lockdown);
	tcase_add_test(tc, test_load_object);
	tcase_add_test(tc, test_load_object_attach_failure);
	tcase_add_test(tc, test_insns);
	tcase_add_test(tc, test_log_growth);
	tcase_add_test(tc, test_prog_array_values);
	tcase_add_test(tc, test_open_errors);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	cleanup();
	return failed ? 1 : 0;
}
