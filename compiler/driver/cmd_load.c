/*
 * cmd_load.c - `bpfcc load OBJ [--program=NAME] [--format=text|json|sarif] [-v]`: asks
 * the running kernel.
 *
 * Loads the object the way a libbpf application would (every program, maps created,
 * relocations applied; --program loads one program alone), through the runtime library
 * (runtime/include/bpfcc/runtime.h), then unloads everything again: nothing is attached
 * or pinned.  When the kernel refuses, the finding goes through the diagnostics sink at
 * the source line the verifier log names: "file:line:col: error: <kernel message>", the
 * line and a caret, the program and instruction, and the tail of the verifier log.
 *
 * Exit status: 0 every program loaded, 1 the kernel refused (the verifier rejected a
 * program, or a map, attach target or relocation failed), 2 unusable input, no
 * privileges to load BPF programs, or a program type this kernel will not load here
 * (EPERM before the verifier, e.g. lockdown).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/diag.h"
#include "driver/commands.h"
#include "driver/driver.h"

#ifndef BPFCC_HAVE_RUNTIME
int cmd_load(int argc, char **argv)
{
	fprintf(stderr, "bpfcc: error: load: built without the runtime library (libbpf)\n");
	return DRV_EXIT_USAGE;
}
#else
#include "bpfcc/runtime.h"

/* Lines of the verifier log shown after the finding (all of it with -v). */
#define LOAD_LOG_TAIL_LINES 20

struct load_cmd {
	const char *path;
	const char *program;
	enum diag_format format;
	bool verbose;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: bpfcc load OBJECT [--program=NAME] [--format=text|json|sarif] [-v]\n"
	           "Loads OBJECT into the running kernel (needs root or CAP_BPF), reports what\n"
	           "the kernel verifier refuses at its source line, and unloads it again.\n");
}

static int load_print_stderr(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return vfprintf(stderr, fmt, ap);
}

/* The source file the log names: as written, else next to the object. */
static char *load_find_source(const char *file, const char *obj_path)
{
	const char *slash = strrchr(obj_path, '/');
	char *path;

	if (!file)
		return NULL;
	if (file[0] == '/' || access(file, R_OK) == 0 || !slash)
		return strdup(file);
	if (asprintf(&path, "%.*s/%s", (int)(slash - obj_path), obj_path, file) < 0)
		return NULL;
	if (access(path, R_OK) == 0)
		return path;
	free(path);
	return strdup(file);
}

/* Column of `text` (the statement the log quotes) in line `lineno` of `path`; 0 if not
 * found. */
static unsigned load_find_column(const char *path, unsigned lineno, const char *text)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	char line[4096];
	unsigned n = 0, col = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (++n < lineno)
			continue;
		if (text && text[0]) {
			const char *p = strstr(line, text);

			if (p)
				col = (unsigned)(p - line) + 1;
		}
		if (!col) {
			col = (unsigned)strspn(line, " \t") + 1;
			if (line[col - 1] == '\n' || line[col - 1] == '\0')
				col = 0;
		}
		break;
	}
	fclose(f);
	return col;
}

/* The last `max` lines of log, prefixed for the explanation; NULL if empty. */
static char *load_log_tail(const char *log, unsigned max)
{
	const char *p = log, *end;
	unsigned lines = 0;
	char *out;

	if (!log || !log[0])
		return NULL;
	end = log + strlen(log);
	while (end > log && end[-1] == '\n')
		end--;
	for (const char *q = log; q < end; q++)
		lines += *q == '\n';
	while (lines + 1 > max && p < end) {
		if (*p++ == '\n')
			lines--;
	}
	if (asprintf(&out, "kernel verifier log%s:\n%.*s", p == log ? "" : " (tail; -v for all)",
	             (int)(end - p), p) < 0)
		return NULL;
	return out;
}

/* One refused program as a finding. */
static void load_report(struct diag_sink *sink, const struct load_cmd *cmd,
                        const struct bpfcc_rt_result *r)
{
	struct diag d = {.level = DIAG_ERROR, .insn = r->insn};
	char *src = NULL, *tail = NULL, *msg = NULL;

	d.program = r->program;
	d.section = r->section;
	if (r->verdict == BPFCC_RT_REJECTED) {
		d.rule = "load-rejected";
		d.kernel_msg = r->kernel_msg;
		if (r->kernel_msg)
			d.message = r->kernel_msg;
		else if (asprintf(&msg, "the kernel verifier rejected program '%s' (%s)",
		                  r->program, strerror(-r->err)) >= 0)
			d.message = msg;
		if (r->src_line) {
			src = load_find_source(r->src_file, cmd->path);
			d.loc.file = src;
			d.loc.line = r->src_line;
			d.loc.col = load_find_column(src, r->src_line, r->src_text);
		}
		tail = load_log_tail(r->log, cmd->verbose ? ~0u : LOAD_LOG_TAIL_LINES);
		d.explanation = tail;
		if (r->log_truncated)
			d.hint =
			    "the verifier log did not fit the largest buffer; its tail is shown";
	} else {
		d.rule = "load-failed";
		if (asprintf(&msg, "the kernel refused program '%s' at step %s (%s)%s%s",
		             r->program, bpfcc_rt_step_name(r->step), strerror(-r->err),
		             r->libbpf_msg ? ": " : "", r->libbpf_msg ? r->libbpf_msg : "") >= 0)
			d.message = msg;
		if (r->err == -EPERM && !r->log[0])
			d.hint = "EPERM before the verifier ran: missing privileges, or a program "
			         "type the kernel will not load here (lockdown refuses "
			         "fentry/fexit/fmod_ret/lsm programs)";
	}
	if (!d.message)
		d.message = "the kernel refused the program";
	diag_emit(sink, &d);
	free(src);
	free(tail);
	free(msg);
}

static int load_parse(int argc, char **argv, struct load_cmd *cmd)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strncmp(a, "--program=", 10) == 0) {
			cmd->program = a + 10;
		} else if (strcmp(a, "--format=text") == 0) {
			cmd->format = DIAG_FORMAT_TEXT;
		} else if (strcmp(a, "--format=json") == 0 || strcmp(a, "-j") == 0) {
			cmd->format = DIAG_FORMAT_JSON;
		} else if (strcmp(a, "--format=sarif") == 0) {
			cmd->format = DIAG_FORMAT_SARIF;
		} else if (strcmp(a, "-v") == 0) {
			cmd->verbose = true;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 1;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "bpfcc: error: load: unknown option '%s'\n", a);
			usage(stderr);
			return -1;
		} else if (cmd->path) {
			fprintf(stderr, "bpfcc: error: load: more than one object given\n");
			return -1;
		} else {
			cmd->path = a;
		}
	}
	if (!cmd->path) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* Loads and reports; returns the exit status. */
static int load_run(const struct load_cmd *cmd, struct diag_sink *sink)
{
	struct bpfcc_rt_object *obj = NULL;
	struct bpfcc_rt_result **res = NULL, *one = NULL;
	const char *last_failure = NULL;
	char why[256];
	size_t n = 0;
	int err, status = DRV_EXIT_OK;

	err = bpfcc_rt_object_open_file(cmd->path, &obj);
	if (err) {
		diag_errorf(sink, NULL, NULL, "cannot open BPF object '%s': %s", cmd->path,
		            strerror(-err));
		return DRV_EXIT_USAGE;
	}
	if (bpfcc_rt_probe(why, sizeof(why))) {
		diag_errorf(sink, NULL, NULL, "cannot ask the kernel: %s", why);
		bpfcc_rt_object_free(obj);
		return DRV_EXIT_USAGE;
	}
	if (cmd->program) {
		err = bpfcc_rt_load_program(obj, cmd->program, NULL, &one);
		if (!err) {
			res = &one;
			n = 1;
		}
	} else {
		err = bpfcc_rt_load_object(obj, NULL, &res, &n);
	}
	if (err) {
		diag_errorf(sink, NULL, NULL, "cannot load '%s'%s%s: %s", cmd->path,
		            cmd->program ? ", program " : "", cmd->program ? cmd->program : "",
		            err == -ENOENT ? "no such program" : strerror(-err));
		bpfcc_rt_object_free(obj);
		return DRV_EXIT_USAGE;
	}
	if (!n && cmd->format == DIAG_FORMAT_TEXT)
		printf("%s: no programs to load\n", cmd->path);
	for (size_t i = 0; i < n; i++) {
		const struct bpfcc_rt_result *r = res[i];

		if (r->verdict == BPFCC_RT_ACCEPTED) {
			if (cmd->format == DIAG_FORMAT_TEXT)
				printf("%s: loaded %s (%s): %ld insns processed, %ld states, "
				       "%ld usec\n",
				       cmd->path, r->program, r->section, r->processed_insns,
				       r->total_states, r->verification_usec);
			continue;
		}
		if (r->verdict == BPFCC_RT_FAILED && r->step == BPFCC_RT_STEP_OTHER && !r->err)
			continue; /* not reached: an earlier program failed */
		/* A failure before any program (maps, relocations) is the same for all. */
		if (r->verdict == BPFCC_RT_FAILED && r->libbpf_msg && last_failure &&
		    strcmp(r->libbpf_msg, last_failure) == 0)
			continue;
		if (r->verdict == BPFCC_RT_FAILED)
			last_failure = r->libbpf_msg;
		load_report(sink, cmd, r);
		if (r->verdict == BPFCC_RT_FAILED && r->err == -EPERM && !r->log[0]) {
			if (status == DRV_EXIT_OK)
				status = DRV_EXIT_USAGE;
		} else {
			status = DRV_EXIT_DIAG;
		}
	}
	if (cmd->program)
		bpfcc_rt_result_free(one);
	else
		bpfcc_rt_results_free(res, n);
	bpfcc_rt_object_free(obj);
	return status;
}

int cmd_load(int argc, char **argv)
{
	struct load_cmd cmd = {.format = DIAG_FORMAT_TEXT};
	struct diag_sink *sink;
	int status, rc = load_parse(argc, argv, &cmd);

	if (rc)
		return rc > 0 ? DRV_EXIT_OK : DRV_EXIT_USAGE;
	sink = diag_sink_new(cmd.format == DIAG_FORMAT_TEXT ? stderr : stdout, cmd.format);
	if (!sink) {
		fprintf(stderr, "bpfcc: error: out of memory\n");
		return DRV_EXIT_USAGE;
	}
	diag_sink_set_tool(sink, "bpfcc");
	diag_sink_set_color(sink, cmd.format == DIAG_FORMAT_TEXT && isatty(STDERR_FILENO));
	if (cmd.verbose)
		bpfcc_rt_set_print(load_print_stderr);
	status = load_run(&cmd, sink);
	diag_sink_free(sink);
	if (fflush(stdout) != 0 && status == DRV_EXIT_OK)
		status = DRV_EXIT_USAGE;
	return status;
}
#endif
