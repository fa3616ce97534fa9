/*
 * test_check_object.c - check_object() on small objects compiled from progs/, each case
 * with the rules it must report, the source line of the finding (found by searching the
 * source for a marker comment) and the message text the kernel or libbpf prints.
 *
 * With --kernel the same cases are also loaded with libbpf into the running kernel: an
 * object must fail to load exactly when check_object() reported an error, and libbpf's
 * output (which includes the kernel verifier's log) must contain the quoted message, so the
 * expectations here are the kernel's, not ours.  Without the privileges to load BPF
 * programs --kernel exits 77 (ctest's skip) and says why.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"
#include "elf/object.h"
#include "sink_capture.h"

struct check_case {
	const char *obj;
	const char *rules[3]; /* rule tags that must each appear: "[rule]" or "[-Wrule]" */
	unsigned errors;      /* exact number of errors */
	bool warn_only;       /* only warnings are expected */
	const char *marker;   /* source line the first finding points at, or NULL */
	const char *text;     /* must appear in our output (kernel message, suggestion) */
	const char *oracle;   /* must appear in libbpf's/the kernel's output when loading */
};

static const struct check_case cases[] = {
    {"clean", {NULL}, 0, false, NULL, NULL, NULL},
    {"gpl_helper",
     {"[check-helper-gpl]"},
     1,
     false,
     "GPL-ONLY CALL",
     "cannot call GPL-restricted function from non-GPL compatible program",
     "cannot call GPL-restricted function from non-GPL compatible program"},
    {"nolicense",
     {"[check-helper-gpl]", "[-Wcheck-license-missing]"},
     1,
     false,
     "GPL-ONLY CALL",
     "cannot call GPL-restricted function from non-GPL compatible program",
     "cannot call GPL-restricted function from non-GPL compatible program"},
    {"license_nonul", {"[-Welf-license-unterminated]"}, 0, true, NULL, "NUL", NULL},
    {"prog_type_helper",
     {"[check-helper-prog-type]"},
     1,
     false,
     "NOT ALLOWED",
     "program of this type cannot use helper bpf_skb_load_bytes#26",
     "program of this type cannot use helper bpf_skb_load_bytes#26"},
    {"helper_unknown",
     {"[check-helper-unknown]"},
     1,
     false,
     "UNKNOWN HELPER",
     "invalid func unknown#250",
     "invalid func unknown#250"},
    {"kfunc_nongpl",
     {"[check-kfunc-gpl]"},
     2,
     false,
     "KFUNC CALL",
     "cannot call kernel function from non-GPL compatible program",
     "cannot call kernel function from non-GPL compatible program"},
    {"bad_section",
     {"[check-section-unknown]"},
     1,
     false,
     NULL,
     "did you mean SEC(\"xdp\")?",
     "missing BPF prog type"},
    {"fentry_typo",
     {"[check-attach-target]"},
     1,
     false,
     NULL,
     "'do_unlinkat'",
     "failed to find kernel BTF type ID of 'do_unlinkatt'"},
    {"btf_targets",
     {"[check-attach-target]", "closest names: 'file_open'", "closest names: 'sched_switch'"},
     2,
     false,
     NULL,
     "the target kernel has no BTF tracepoint 'btf_trace_sched_switc'",
     "failed to find kernel BTF type ID of 'file_opn'"},
    {"ringbuf_size",
     {"[-Wcheck-map-ringbuf-size]"},
     0,
     true,
     NULL,
     "libbpf creates it with 16384",
     "map 'events': created successfully"},
    {"array_key",
     {"[check-map-key-size]"},
     1,
     false,
     NULL,
     "'slots'",
     "map 'slots': failed to create: Invalid argument"},
    {"legacy_maps",
     {"[check-maps-legacy]"},
     1,
     false,
     NULL,
     "SEC(\".maps\")",
     "legacy map definitions in 'maps' section are not supported"},
    {"ksym_unknown",
     {"[check-ksym-unknown]"},
     1,
     false,
     NULL,
     "'bpf_rcu_read_lock'",
     "bpf_rcu_read_lck"},
    {"ksym_signature",
     {"[check-ksym-signature]"},
     1,
     false,
     NULL,
     "'bpf_task_acquire'",
     "extern (func ksym) 'bpf_task_acquire': func_proto"},
    {"kconfig_unknown",
     {"[check-kconfig-unknown]"},
     1,
     false,
     NULL,
     "LINUX_NO_SUCH_VALUE",
     "LINUX_NO_SUCH_VALUE"},
    {"core_missing",
     {"[check-core-unresolved]"},
     1,
     false,
     NULL,
     "failed to resolve CO-RE relocation <byte_off> [5] struct task_struct.no_such_field "
     "(0:1 @ offset 4)",
     "failed to resolve CO-RE relocation <byte_off> [5] struct task_struct.no_such_field "
     "(0:1 @ offset 4)"},
    {"core_guarded",
     {"[-Wcheck-core-unresolved]"},
     0,
     true,
     NULL,
     "task_struct.no_such_field",
     NULL},
    {"nobtf", {"[-Wcheck-btf-missing]"}, 0, true, NULL, "no .BTF section", NULL},
    /* this kernel has no CONFIG_KALLSYMS_ALL: a BTF-typed variable has no address */
    {"ksym_var_ok",
     {"[check-ksym-address]"},
     1,
     false,
     "bpf_this_cpu_ptr(&bpf_prog_active)",
     "ldimm64 failed to find the address for kernel symbol 'bpf_prog_active'.",
     "ldimm64 failed to find the address for kernel symbol 'bpf_prog_active'."},
    {"ksym_var_type",
     {"[check-ksym-type]"},
     1,
     false,
     NULL,
     "declared as struct prog_active, but the target kernel's is int int",
     "extern (var ksym) 'bpf_prog_active': incompatible types"},
    {"ksym_typeless",
     {"[check-ksym-unknown]"},
     1,
     false,
     "KSYM USE",
     "kallsyms has no 'bpf_map_fops'",
     "extern 'bpf_map_fops' (strong): not resolved"},
    /* __kconfig values against the running kernel's config (HZ=250, NR_CPUS=256 here) */
    {"kconfig_ok", {NULL}, 0, false, NULL, NULL, NULL},
    {"kconfig_missing",
     {"[check-kconfig-unknown]"},
     1,
     false,
     "KCONFIG USE",
     "does not set 'CONFIG_BPFCC_NOT_A_REAL_OPTION'",
     "extern 'CONFIG_BPFCC_NOT_A_REAL_OPTION' (strong): not resolved"},
    {"kconfig_bool_number",
     {"[check-kconfig-value]"},
     1,
     false,
     "KCONFIG USE",
     "extern (kcfg) 'CONFIG_HZ': value '250' implies integer type",
     "extern (kcfg) 'CONFIG_HZ': value '250' implies integer type"},
    {"kconfig_char_range",
     {"[check-kconfig-value]"},
     1,
     false,
     "KCONFIG USE",
     "extern (kcfg) 'CONFIG_NR_CPUS': value '256' doesn't fit in 1 bytes",
     "extern (kcfg) 'CONFIG_NR_CPUS': value '256' doesn't fit in 1 bytes"},
    {"kconfig_int_yes",
     {"[check-kconfig-value]"},
     1,
     false,
     "KCONFIG USE",
     "extern (kcfg) 'CONFIG_BPF_SYSCALL': value 'y' implies bool, tristate, or char type",
     "extern (kcfg) 'CONFIG_BPF_SYSCALL': value 'y' implies bool, tristate, or char type"},
    {"kconfig_string_int",
     {"[check-kconfig-value]"},
     1,
     false,
     "KCONFIG USE",
     "extern (kcfg) 'CONFIG_LOCALVERSION': value '\"",
     "extern (kcfg) 'CONFIG_LOCALVERSION': value '\""},
    {"kconfig_bad_type",
     {"[check-kconfig-type]"},
     1,
     false,
     "KCONFIG USE",
     "extern (kcfg) 'CONFIG_NR_CPUS': type is unsupported",
     "extern (kcfg) 'CONFIG_NR_CPUS': type is unsupported"},
    {"kconfig_version_short",
     {"[check-kconfig-value]"},
     1,
     false,
     "KCONFIG USE",
     "doesn't fit in 2 bytes",
     "extern (kcfg) 'LINUX_KERNEL_VERSION': value"},
};

#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static bool kernel_mode;
static struct btf *vmlinux;
static struct check_kconfig *kconfig; /* the running kernel's, as libbpf reads it */

/* Line number (1-based) of the first line of progs/<obj>.bpf.c containing `needle`. */
static unsigned src_line(const char *obj, const char *needle)
{
	char path[512], line[512];
	unsigned n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.bpf.c", SRC_DIR, obj);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (strstr(line, needle)) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	ck_abort_msg("%s: marker '%s' not found", path, needle);
	return 0;
}

static char *print_buf;
static size_t print_len;
static FILE *print_out;

static int capture_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (print_out)
		vfprintf(print_out, fmt, ap);
	return 0;
}

/* Loads the object with libbpf; 0 or libbpf's error; its output into print_buf. */
static int libbpf_load(const char *path)
{
	struct bpf_object *obj;
	int err;

	print_out = open_memstream(&print_buf, &print_len);
	ck_assert_ptr_nonnull(print_out);
	obj = bpf_object__open_file(path, NULL);
	err = libbpf_get_error(obj);
	if (!err) {
		err = bpf_object__load(obj);
		bpf_object__close(obj);
	}
	fclose(print_out);
	print_out = NULL;
	return err;
}

START_TEST(test_case)
{
	const struct check_case *tc = &cases[_i];
	struct check_options opts = {.target_btf = vmlinux, .kconfig = kconfig};
	struct sink_capture cap;
	struct obj_file *obj;
	char path[512], where[256];
	int ret;

	/* the running kernel: its modules and kallsyms, as objcheck gives them */
	opts.kernel = check_kernel_btf_new(vmlinux, "/sys/kernel/btf");
	ck_assert_ptr_nonnull(opts.kernel);

	snprintf(path, sizeof(path), "%s/%s.bpf.o", OBJ_DIR, tc->obj);
	sink_capture_begin(&cap);
	obj = obj_open_file(path, cap.sink);
	ck_assert_msg(obj != NULL, "%s: the reader refused it", tc->obj);
	ret = check_object(obj, &opts, cap.sink);
	obj_free(obj);
	check_kernel_btf_free(opts.kernel);
	sink_capture_end(&cap);

	ck_assert_msg(cap.errors == tc->errors, "%s: %u errors, expected %u:\n%s", tc->obj,
	              cap.errors, tc->errors, cap.text);
	ck_assert_int_eq(ret, tc->errors ? -EINVAL : 0);
	for (int i = 0; i < 3 && tc->rules[i]; i++)
		ck_assert_msg(strstr(cap.text, tc->rules[i]), "%s: no %s in:\n%s", tc->obj,
		              tc->rules[i], cap.text);
	if (!tc->rules[0])
		ck_assert_msg(cap.warnings == 0, "%s: unexpected warnings:\n%s", tc->obj, cap.text);
	if (tc->marker) {
		snprintf(where, sizeof(where), "%s.bpf.c:%u:", tc->obj,
		         src_line(tc->obj, tc->marker));
		ck_assert_msg(strstr(cap.text, where), "%s: no finding at %s:\n%s", tc->obj, where,
		              cap.text);
	}
	if (tc->text)
		ck_assert_msg(strstr(cap.text, tc->text), "%s: no \"%s\" in:\n%s", tc->obj,
		              tc->text, cap.text);

	if (kernel_mode) {
		int err = libbpf_load(path);

		ck_assert_msg((err != 0) == (tc->errors != 0),
		              "%s: libbpf load returned %d but check_object() found %u errors:\n%s",
		              tc->obj, err, tc->errors, print_buf ? print_buf : "");
		if (tc->oracle)
			ck_assert_msg(print_buf && strstr(print_buf, tc->oracle),
			              "%s: libbpf/kernel output lacks \"%s\":\n%s", tc->obj,
			              tc->oracle, print_buf ? print_buf : "");
		free(print_buf);
		print_buf = NULL;
	}
	sink_capture_free(&cap);
}
END_TEST

/* The pure pieces: the subprogram walk on an object with a callback and a subprogram. */
START_TEST(test_reached_subprogs)
{
	struct sink_capture cap;
	struct obj_file *obj;
	const struct obj_prog *reached[8];
	char path[512];
	size_t n;

	snprintf(path, sizeof(path), "%s/clean.bpf.o", OBJ_DIR);
	sink_capture_begin(&cap);
	obj = obj_open_file(path, cap.sink);
	ck_assert_ptr_nonnull(obj);
	ck_assert_uint_eq(obj->nr_progs, 1);
	ck_assert_uint_le(obj->nr_subprogs, 8);
	n = check_reached_subprogs(obj, &obj->progs[0], reached);
	ck_assert_uint_eq(n, 2);
	/* bpf_loop's callback is referenced first (ld_imm64 of its address), then bump() */
	ck_assert_str_eq(reached[0]->name, "add_one");
	ck_assert_str_eq(reached[1]->name, "bump");
	obj_free(obj);
	sink_capture_end(&cap);
	sink_capture_free(&cap);
}
END_TEST

START_TEST(test_btf_closest)
{
	char buf[256];

	ck_assert_int_gt(
	    check_btf_closest(vmlinux, BTF_KIND_FUNC, "", "do_unlinkatt", buf, sizeof(buf)), 0);
	ck_assert_msg(strstr(buf, "'do_unlinkat'"), "%s", buf);
	ck_assert_int_eq(
	    check_btf_closest(vmlinux, BTF_KIND_FUNC, "", "zzzzqqqqxxxxwwww", buf, sizeof(buf)), 0);
}
END_TEST

/* check_options.programs: per-program findings only for the named programs. */
START_TEST(test_program_filter)
{
	static const char *const only_good[] = {"good"}, *const only_bad[] = {"bad"};
	struct check_options opts = {.target_btf = vmlinux};
	struct sink_capture cap;
	struct obj_file *obj;
	char path[512];

	snprintf(path, sizeof(path), "%s/two_progs.bpf.o", OBJ_DIR);
	sink_capture_begin(&cap);
	obj = obj_open_file(path, cap.sink);
	ck_assert_ptr_nonnull(obj);
	opts.programs = only_good;
	opts.nr_programs = 1;
	ck_assert_int_eq(check_object(obj, &opts, cap.sink), 0);
	ck_assert_uint_eq(diag_error_count(cap.sink), 0);
	opts.programs = only_bad;
	ck_assert_int_eq(check_object(obj, &opts, cap.sink), -EINVAL);
	/* the section has no program type, so the subprogram's helper cannot be judged */
	ck_assert_uint_eq(diag_error_count(cap.sink), 1);
	opts.programs = NULL;
	opts.nr_programs = 0;
	ck_assert_int_eq(check_object(obj, &opts, cap.sink), -EINVAL);
	ck_assert_uint_eq(diag_error_count(cap.sink), 2);
	obj_free(obj);
	sink_capture_end(&cap);
	ck_assert_msg(strstr(cap.text, "SEC(\"xdpp\")"), "%s", cap.text);
	sink_capture_free(&cap);
}
END_TEST

/* Writes a module BTF (split over vmlinux) with `int bpfcc_mod_kfunc(int len)` as
 * <dir>/bpfcc_test_mod; 0 or -1. */
static int write_module_btf(const char *dir)
{
	struct btf *m = btf__new_empty_split(vmlinux);
	int int_id = btf__find_by_name_kind(vmlinux, "int", BTF_KIND_INT), proto;
	char path[512];
	const void *raw;
	uint32_t size;
	FILE *f;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_gt(int_id, 0);
	proto = btf__add_func_proto(m, int_id);
	ck_assert_int_gt(proto, 0);
	ck_assert_int_eq(btf__add_func_param(m, "len", int_id), 0);
	ck_assert_int_gt(btf__add_func(m, "bpfcc_mod_kfunc", BTF_FUNC_GLOBAL, proto), 0);
	raw = btf__raw_data(m, &size);
	ck_assert_ptr_nonnull(raw);
	snprintf(path, sizeof(path), "%s/bpfcc_test_mod", dir);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(raw, 1, size, f), size);
	fclose(f);
	btf__free(m);
	return 0;
}

/* A kfunc vmlinux lacks is looked for in the module BTFs, as libbpf does. */
START_TEST(test_module_btf)
{
	char dir[] = "/tmp/bpfcc-modbtf-XXXXXX", path[512], file[600];
	struct check_options opts = {.target_btf = vmlinux};
	struct sink_capture cap;
	struct obj_file *obj;
	const struct btf *where;
	const char *module;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_module_btf(dir);
	snprintf(path, sizeof(path), "%s/ksym_module.bpf.o", OBJ_DIR);
	sink_capture_begin(&cap);
	obj = obj_open_file(path, cap.sink);
	ck_assert_ptr_nonnull(obj);
	/* vmlinux alone: unknown */
	ck_assert_int_eq(check_object(obj, &opts, cap.sink), -EINVAL);
	ck_assert_uint_eq(diag_error_count(cap.sink), 1);
	/* with the module: found, no new finding */
	opts.kernel = check_kernel_btf_new(vmlinux, dir);
	ck_assert_ptr_nonnull(opts.kernel);
	ck_assert_int_gt(
	    check_kernel_btf_find(opts.kernel, "bpfcc_mod_kfunc", BTF_KIND_FUNC, &where, &module),
	    (int)btf__type_cnt(vmlinux) - 1);
	ck_assert_str_eq(module, "bpfcc_test_mod");
	ck_assert_int_eq(check_kernel_btf_module_index(opts.kernel, module), 0);
	/* a vmlinux name is found in vmlinux, with no module */
	ck_assert_int_gt(
	    check_kernel_btf_find(opts.kernel, "bpf_rcu_read_lock", BTF_KIND_FUNC, &where, &module),
	    0);
	ck_assert_ptr_null(module);
	ck_assert_int_eq(
	    check_kernel_btf_find(opts.kernel, "bpfcc_nowhere", BTF_KIND_FUNC, NULL, NULL),
	    -ENOENT);
	ck_assert_int_eq(check_object(obj, &opts, cap.sink), 0);
	ck_assert_uint_eq(diag_error_count(cap.sink), 1);
	check_kernel_btf_free(opts.kernel);
	obj_free(obj);
	sink_capture_end(&cap);
	ck_assert_msg(strstr(cap.text, "the target kernel has no kfunc 'bpfcc_mod_kfunc'"), "%s",
	              cap.text);
	sink_capture_free(&cap);
	snprintf(file, sizeof(file), "%s/bpfcc_test_mod", dir);
	unlink(file);
	rmdir(dir);
}
END_TEST

static bool can_load_bpf(void)
{
	struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", insns, 2, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int main(int argc, char **argv)
{
	Suite *s = suite_create("check_object");
	TCase *tc = tcase_create("objects");
	SRunner *sr;
	int failed;

	kernel_mode = argc > 1 && strcmp(argv[1], "--kernel") == 0;
	if (kernel_mode && !can_load_bpf()) {
		printf("check_object_kernel: cannot load BPF programs here (needs CAP_BPF and "
		       "CAP_PERFMON or root): skipped\n");
		return 77;
	}
	libbpf_set_print(capture_print);
	vmlinux = btf__load_vmlinux_btf();
	if (libbpf_get_error(vmlinux)) {
		printf("check_object: no kernel BTF (/sys/kernel/btf/vmlinux): skipped\n");
		return 77;
	}
	kconfig = check_kconfig_load_running();
	if (!kconfig) {
		printf("check_object: the running kernel exposes no config (/proc/config.gz, "
		       "/boot/config-$(uname -r)) for the __kconfig cases: skipped\n");
		btf__free(vmlinux);
		return 77;
	}
	tcase_add_loop_test(tc, test_case, 0, NR_CASES);
	tcase_add_test(tc, test_reached_subprogs);
	tcase_add_test(tc, test_btf_closest);
	tcase_add_test(tc, test_program_filter);
	tcase_add_test(tc, test_module_btf);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	btf__free(vmlinux);
	check_kconfig_free(kconfig);
	return failed ? 1 : 0;
}
