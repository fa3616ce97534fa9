/*
 * compile.c - `bpfcc [options] file.bpf.c...`: the compile pipeline.
 *
 * Each input runs through a table of stages, in the manner of cproc's driver: the C
 * front end (clang, bitcode into memory), the LLVM stage (checks, optimisation, BPF code
 * generation into memory), then the output is written.  Nothing reaches the output path
 * unless every stage succeeded; dependency files follow the same rule.  -E hands the
 * whole job to clang's preprocessor.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/btf_prefetch.h"
#include "driver/commands.h"
#include "driver/driver.h"
#include "driver/objcheck.h"
#include "driver/options.h"
#include "driver/output.h"
#include "driver/warmup.h"
#include "frontend/frontend.h"
#include "ir/ir.h"

#ifndef BPFCC_TARGET_ARCH
#define BPFCC_TARGET_ARCH "x86"
#endif

/* Everything one input's compile needs and produces. */
struct job {
	const struct drv_options *o;
	struct diag_sink *sink;
	const char *input;
	char output[PATH_MAX];
	char dep_path[PATH_MAX];
	const char *vmlinux_dir;
	struct out_file out, dep;
	bool want_dep;
	void *bitcode;
	size_t bitcode_len;
	struct ir_buffer result;
	unsigned errors_before; /* the sink's error count when this input started */
};

static const char *mode_suffix(const struct drv_options *o)
{
	if (o->mode == DRV_MODE_ASM)
		return o->emit_llvm ? ".ll" : ".s";
	return o->emit_llvm ? ".bc" : ".o";
}

/* gcc's rule: the input's base name with its suffix replaced, in the current directory. */
static int default_output(const struct drv_options *o, const char *input, char *out, size_t n)
{
	const char *base = strrchr(input, '/');
	const char *dot;
	size_t stem;

	base = base ? base + 1 : input;
	dot = strrchr(base, '.');
	stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	return snprintf(out, n, "%.*s%s", (int)stem, base, mode_suffix(o)) >= (int)n ? -ENAMETOOLONG
	                                                                             : 0;
}

static int plan_paths(struct job *j)
{
	const struct drv_options *o = j->o;
	const char *dot;

	if (o->output) {
		snprintf(j->output, sizeof(j->output), "%s", o->output);
	} else if (o->mode == DRV_MODE_PREPROCESS) {
		snprintf(j->output, sizeof(j->output), "-");
	} else if (default_output(o, j->input, j->output, sizeof(j->output))) {
		diag_errorf(j->sink, NULL, NULL, "output name for '%s' is too long", j->input);
		return -ENAMETOOLONG;
	}
	j->want_dep = o->dep_md || o->dep_mmd;
	if (!j->want_dep)
		return 0;
	if (o->dep_file) {
		snprintf(j->dep_path, sizeof(j->dep_path), "%s", o->dep_file);
	} else if (!strcmp(j->output, "-")) {
		char tmp[PATH_MAX];
		struct drv_options copy = *o;

		copy.mode = DRV_MODE_OBJECT;
		copy.emit_llvm = false;
		default_output(&copy, j->input, tmp, sizeof(tmp));
		dot = strrchr(tmp, '.');
		snprintf(j->dep_path, sizeof(j->dep_path), "%.*s.d", (int)(dot - tmp), tmp);
	} else {
		const char *slash = strrchr(j->output, '/');
		dot = strrchr(j->output, '.');
		if (!dot || (slash && dot < slash))
			dot = j->output + strlen(j->output);
		snprintf(j->dep_path, sizeof(j->dep_path), "%.*s.d", (int)(dot - j->output),
		         j->output);
	}
	return 0;
}

static int check_input(struct job *j)
{
	struct stat st;

	if (!strcmp(j->input, "-"))
		return 0;
	if (access(j->input, R_OK) < 0) {
		diag_errorf(j->sink, NULL, NULL, "cannot read '%s': %s", j->input, strerror(errno));
		return -errno;
	}
	if (stat(j->input, &st) == 0 && S_ISDIR(st.st_mode)) {
		diag_errorf(j->sink, NULL, NULL, "'%s' is a directory", j->input);
		return -EISDIR;
	}
	if (strcmp(j->output, "-")) {
		struct stat so;
		if (stat(j->output, &so) == 0 && so.st_dev == st.st_dev && so.st_ino == st.st_ino) {
			diag_errorf(j->sink, NULL, NULL, "input '%s' is also the output", j->input);
			return -EINVAL;
		}
	}
	return 0;
}

static const char *clang_path(const struct drv_options *o)
{
	const char *env = getenv("BPFCC_CLANG");

	if (o->clang)
		return o->clang;
	if (env && *env)
		return env;
	return fe_default_clang(BPFCC_DEFAULT_CLANG);
}

static int build_clang_args(struct job *j, bool preprocess_only, struct fe_argv *argv)
{
	const struct drv_options *o = j->o;
	struct strv dep = {0};
	struct fe_options fo = {
	    .clang = clang_path(o),
	    .input = j->input,
	    .opt_level = o->opt_level,
	    .size_level = o->size_level,
	    .cpu = o->cpu,
	    .big_endian = o->big_endian,
	    .target_arch_set = o->target_arch_set,
	    .target_arch = o->target_arch ? o->target_arch : BPFCC_TARGET_ARCH,
	    .vmlinux_dir = j->vmlinux_dir,
	    .user_args = o->cc_args.v,
	    .n_user_args = o->cc_args.n,
	};
	int err;

	if (j->want_dep) {
		strv_push(&dep, o->dep_mmd ? "-MMD" : "-MD");
		strv_push(&dep, "-MF");
		strv_push(&dep, j->dep.tmp[0] ? j->dep.tmp : j->dep_path);
		if (o->dep_targets.n) {
			for (size_t i = 0; i < o->dep_targets.n; i++)
				strv_push(&dep, o->dep_targets.v[i]);
		} else if (strcmp(j->output, "-")) {
			strv_push(&dep, "-MT");
			strv_push(&dep, j->output);
		}
		if (o->dep_mp)
			strv_push(&dep, "-MP");
		fo.dep_args = dep.v;
		fo.n_dep_args = dep.n;
	}
	err = fe_build_args(&fo, preprocess_only,
	                    preprocess_only ? (j->out.tmp[0] ? j->out.tmp : j->output) : "-", argv);
	strv_free(&dep);
	return err;
}

/* How much of a source file btf_prefetch_wanted() looks at. */
#define PREFETCH_SCAN_BYTES (1u << 20)

/* ---- the stages ---- */

static int stage_prepare(struct job *j)
{
	const struct drv_options *o = j->o;
	static char vmlinux_dir[PATH_MAX];
	const char *btf = o->target_btf ? o->target_btf : "/sys/kernel/btf/vmlinux";
	int err;

	if (plan_paths(j) || check_input(j))
		return DRV_EXIT_USAGE;
	err = fe_vmlinux_header(btf, vmlinux_dir, sizeof(vmlinux_dir), j->sink);
	if (!err)
		j->vmlinux_dir = vmlinux_dir;
	else if (err != -ENOENT || o->vmlinux_explicit) {
		if (err == -ENOENT)
			diag_errorf(j->sink, NULL, NULL, "cannot read BTF '%s': %s", btf,
			            strerror(-err));
		return DRV_EXIT_USAGE;
	}
	if (o->dry_run)
		return 0;
	if (!(o->mode == DRV_MODE_PREPROCESS && !strcmp(j->output, "-")) &&
	    out_begin(&j->out, j->output, j->sink))
		return DRV_EXIT_USAGE;
	if (j->want_dep && out_begin(&j->dep, j->dep_path, j->sink))
		return DRV_EXIT_USAGE;
	return 0;
}

static int run_clang(struct job *j, bool preprocess_only)
{
	struct fe_argv argv = {0};
	int status = 0, err;

	if (build_clang_args(j, preprocess_only, &argv)) {
		fe_argv_free(&argv);
		return DRV_EXIT_USAGE;
	}
	if (j->o->verbose || j->o->dry_run)
		fe_print_command(stderr, argv.v);
	if (j->o->dry_run) {
		fe_argv_free(&argv);
		return 0;
	}
	err = fe_run(argv.v, !preprocess_only, &j->bitcode, &j->bitcode_len, &status, j->sink);
	fe_argv_free(&argv);
	if (err)
		return DRV_EXIT_USAGE;
	if (status >= 128) {
		diag_errorf(j->sink, NULL, NULL, "the C front end (%s) crashed (signal %d)",
		            clang_path(j->o), status - 128);
		return DRV_EXIT_USAGE;
	}
	return status ? DRV_EXIT_DIAG : 0;
}

/* The object checks will want the kernel BTF after LLVM is done: when the source hints
 * at it, start reading it now so that it overlaps with clang (btf_prefetch.h). */
static void prefetch_target_btf(const struct job *j)
{
	const struct drv_options *o = j->o;
	const char *btf = o->target_btf ? o->target_btf : "/sys/kernel/btf/vmlinux";
	char *buf;
	size_t len;
	FILE *f;

	if (o->dry_run || o->verify == DRV_VERIFY_OFF || o->mode != DRV_MODE_OBJECT ||
	    o->emit_llvm || o->big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) ||
	    !strcmp(j->input, "-") || access(btf, R_OK) != 0)
		return;
	f = fopen(j->input, "rb");
	if (!f)
		return;
	buf = malloc(PREFETCH_SCAN_BYTES);
	len = buf ? fread(buf, 1, PREFETCH_SCAN_BYTES, f) : 0;
	fclose(f);
	if (buf && btf_prefetch_wanted(buf, len))
		btf_prefetch_start(btf);
	free(buf);
}

static int stage_frontend(struct job *j)
{
	int status;

	prefetch_target_btf(j);
	if (!j->o->dry_run)
		warmup_start();
	status = run_clang(j, false);
	warmup_end();
	return status;
}

static int stage_backend(struct job *j)
{
	const struct drv_options *o = j->o;
	struct ir_options io = {
	    .opt_level = o->opt_level,
	    .size_level = o->size_level,
	    .cpu = o->cpu,
	    .big_endian = o->big_endian,
	};
	enum ir_emit kind = o->mode == DRV_MODE_ASM
	                        ? (o->emit_llvm ? IR_EMIT_LLVM_TEXT : IR_EMIT_ASM)
	                        : (o->emit_llvm ? IR_EMIT_BITCODE : IR_EMIT_OBJECT);
	int err;

	if (o->verbose)
		fprintf(stderr, " [llvm %s] default<O%c> pipeline, BPF cpu v%d, %s\n",
		        LLVM_VERSION_STRING,
		        o->size_level ? o->size_level : (char)('0' + o->opt_level), o->cpu,
		        kind == IR_EMIT_OBJECT ? "object to memory" : "text to memory");
	if (o->dry_run)
		return 0;
	err = ir_compile(j->bitcode, j->bitcode_len, j->input, &io, kind, &j->result, j->sink);
	if (err == -ENOMEM) {
		diag_errorf(j->sink, NULL, NULL, "out of memory");
		return DRV_EXIT_USAGE;
	}
	if (err == -ENOEXEC) /* the front end is unusable: a tool problem, not the source's */
		return DRV_EXIT_USAGE;
	return err ? DRV_EXIT_DIAG : 0;
}

/*
 * The object checks and the preflight verifier on the object in memory.  --verify=error:
 * their findings are errors and stop the write.  --verify=warn: the sink reports them as
 * warnings, so only what is an error after that (-Werror, -Werror=<rule>, a tool error)
 * stops it; a written object that the kernel is predicted to refuse gets a note saying so.
 */
static int stage_verify(struct job *j)
{
	bool warn = j->o->verify == DRV_VERIFY_WARN;
	int status;

	diag_sink_set_errors_as_warnings(j->sink, warn);
	status = objcheck_compiled(j->o, j->result.data, j->result.len, j->output, j->sink);
	diag_sink_set_errors_as_warnings(j->sink, false);
	if (!warn || status != DRV_EXIT_DIAG)
		return status;
	if (diag_error_count(j->sink) > j->errors_before)
		return DRV_EXIT_DIAG;
	/* said even when -Wno-<rule> or -w hid the findings themselves */
	diag_notef(j->sink, NULL,
	           "'%s' is written although the kernel is predicted to refuse it "
	           "(--verify=warn)",
	           j->output);
	return 0;
}

static int stage_write(struct job *j)
{
	int status;

	if (j->o->dry_run)
		return 0;
	if (diag_error_count(j->sink) > j->errors_before)
		return DRV_EXIT_DIAG;
	/* The object as `bpfcc verify` sees it: nothing the kernel would refuse is written,
	 * unless --verify=warn asked for it (then its refusals are warnings). */
	if (j->o->verify != DRV_VERIFY_OFF) {
		status = stage_verify(j);
		if (status)
			return status;
	}
	if (out_commit(&j->out, j->result.data, j->result.len, j->sink))
		return DRV_EXIT_USAGE;
	if (j->want_dep && out_commit_file(&j->dep, j->sink))
		return DRV_EXIT_USAGE;
	return 0;
}

static int stage_preprocess(struct job *j)
{
	int status = run_clang(j, true);

	if (status || j->o->dry_run)
		return status;
	if (j->out.tmp[0] && out_commit_file(&j->out, j->sink))
		return DRV_EXIT_USAGE;
	if (j->want_dep && out_commit_file(&j->dep, j->sink))
		return DRV_EXIT_USAGE;
	return 0;
}

struct stage {
	const char *name;
	int (*run)(struct job *j);
};

static const struct stage compile_stages[] = {
    {"prepare", stage_prepare},
    {"frontend", stage_frontend},
    {"llvm", stage_backend},
    {"write", stage_write},
};

static const struct stage preprocess_stages[] = {
    {"prepare", stage_prepare},
    {"preprocess", stage_preprocess},
};

static int compile_one(const struct drv_options *o, const char *input, struct diag_sink *sink)
{
	bool pp = o->mode == DRV_MODE_PREPROCESS;
	const struct stage *stages = pp ? preprocess_stages : compile_stages;
	size_t n = pp ? sizeof(preprocess_stages) / sizeof(preprocess_stages[0])
	              : sizeof(compile_stages) / sizeof(compile_stages[0]);
	struct job j = {
	    .o = o, .sink = sink, .input = input, .errors_before = diag_error_count(sink)};
	int status = 0;

	j.out.fd = j.dep.fd = -1;
	for (size_t i = 0; i < n && !status; i++)
		status = stages[i].run(&j);
	btf_prefetch_end();
	out_abort(&j.out);
	out_abort(&j.dep);
	free(j.bitcode);
	ir_buffer_free(&j.result);
	return status;
}

static void apply_rule_args(const struct drv_options *o, struct diag_sink *sink)
{
	for (size_t i = 0; i < o->rule_args.n; i++) {
		const char *a = o->rule_args.v[i];

		if (!strncmp(a, "-Werror=", 8))
			diag_sink_set_rule_level(sink, a + 8, DIAG_ERROR, false);
		else if (!strncmp(a, "-Wno-error=", 11))
			diag_sink_set_rule_level(sink, a + 11, DIAG_WARNING, false);
		else if (!strncmp(a, "-Wno-", 5))
			diag_sink_set_rule_level(sink, a + 5, DIAG_WARNING, true);
		else
			diag_sink_set_rule_level(sink, a + 2, DIAG_WARNING, false);
	}
	diag_sink_set_werror(sink, o->werror);
	diag_sink_set_no_warnings(sink, o->no_warnings);
}

static bool want_color(const struct drv_options *o)
{
	const char *term = getenv("TERM");

	if (o->color >= 0)
		return o->color;
	return isatty(STDERR_FILENO) && term && strcmp(term, "dumb") && !getenv("NO_COLOR");
}

/* LLVM gave up (report_fatal_error): say so, leave no partial output, exit 2. */
static void compile_llvm_fatal(const char *reason)
{
	fprintf(stderr, "bpfcc: error: LLVM: %s (internal error; please report it)\n", reason);
	out_remove_pending();
	_exit(DRV_EXIT_USAGE);
}

int cmd_compile(int argc, char **argv)
{
	struct drv_options o;
	struct diag_sink *sink = diag_sink_new(stderr, DIAG_FORMAT_TEXT);
	int status;

	if (!sink) {
		fputs("bpfcc: error: out of memory\n", stderr);
		return DRV_EXIT_USAGE;
	}
	status = drv_parse(argc, argv, &o, sink);
	if (status)
		goto out;
	if (o.show_help || o.show_version) {
		if (o.show_help)
			drv_print_help();
		else
			printf("bpfcc %s (LLVM %s; C front end: %s)\n", BPFCC_VERSION,
			       LLVM_VERSION_STRING, clang_path(&o));
		goto out;
	}
	if (o.diag_format != DIAG_FORMAT_TEXT) {
		struct diag_sink *s = diag_sink_new(stderr, o.diag_format);
		if (s) {
			diag_sink_free(sink);
			sink = s;
		}
	}
	diag_sink_set_color(sink, want_color(&o));
	apply_rule_args(&o, sink);
	if (!o.inputs.n) {
		diag_errorf(sink, NULL, NULL, "no input files");
		status = DRV_EXIT_USAGE;
		goto out;
	}
	if (o.mode == DRV_MODE_LINK) {
		diag_errorf(sink, NULL, NULL,
		            "bpfcc does not link: use -c to compile each file to a BPF object "
		            "(or -S, -E)");
		status = DRV_EXIT_USAGE;
		goto out;
	}
	if (o.output && o.inputs.n > 1) {
		diag_errorf(sink, NULL, NULL, "cannot specify '-o' with several input files");
		status = DRV_EXIT_USAGE;
		goto out;
	}
	if (o.dep_file && o.inputs.n > 1) {
		diag_errorf(sink, NULL, NULL, "cannot specify '-MF' with several input files");
		status = DRV_EXIT_USAGE;
		goto out;
	}
	ir_on_fatal(compile_llvm_fatal);
	if (!o.dry_run && o.mode != DRV_MODE_PREPROCESS && ir_init((int)o.mllvm.n, o.mllvm.v)) {
		status = DRV_EXIT_USAGE;
		goto out;
	}
	if (o.verbose || o.dry_run)
		fprintf(stderr, "bpfcc %s (LLVM %s)\n", BPFCC_VERSION, LLVM_VERSION_STRING);
	for (size_t i = 0; i < o.inputs.n; i++) {
		int s = compile_one(&o, o.inputs.v[i], sink);
		if (s > status)
			status = s;
	}
	if (!status && diag_error_count(sink))
		status = DRV_EXIT_DIAG;
out:
	drv_options_free(&o);
	diag_sink_free(sink);
	return status;
}
