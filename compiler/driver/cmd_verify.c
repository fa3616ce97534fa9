/*
 * cmd_verify.c - `bpfcc verify [options] OBJ...`: would the kernel load these objects?
 *
 *   --program=NAME       only this entry program (repeatable)
 *   --format=FMT         text (default), json, csv (veristat's columns), sarif
 *   --target-btf=FILE    kernel BTF for attach targets and CO-RE (default: the running
 *                        kernel's /sys/kernel/btf/vmlinux when readable)
 *   --kconfig=FILE       the target kernel's config for __kconfig values (default: the
 *                        running kernel's, as libbpf reads it, unless --target-btf names
 *                        another kernel)
 *   --against-kernel     also load every program into the running kernel and set its
 *                        verdict next to bpfcc's, marking each disagreement
 *   --verifier-log       print the verifier's state trace per instruction (in the spirit
 *                        of the kernel's log_level 2) on stdout
 *   --emit-cfg=FILE      draw every program's control-flow graph with the failing path in
 *                        red: DOT, or SVG when FILE ends in .svg (needs Graphviz's dot)
 *
 * Objects from any compiler go through the object pipeline of driver/objcheck.h (object
 * checks, link, preflight verifier), the same one `bpfcc -c` runs before it writes an
 * object.  Findings go through the diagnostics sink (stderr for text and csv; inside the
 * document for json and sarif); the per-program verdicts go to stdout.
 *
 * Exit status: 0 every program is predicted to load, 1 findings, 2 usage or an input
 * that cannot be read.  With --against-kernel: 0 bpfcc and the kernel agree on every
 * program, 1 they disagree on at least one, 2 the kernel cannot be asked (no privileges:
 * said plainly), usage, or unreadable input.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "check/check.h"
#include "driver/cmd_verify.h"
#include "driver/commands.h"
#include "driver/driver.h"
#include "elf/object.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: bpfcc verify [--program=NAME]... [--format=text|json|csv|sarif]\n"
	           "                    [--target-btf=FILE] [--kconfig=FILE] [--against-kernel]\n"
	           "                    [--verifier-log] [--emit-cfg=FILE.dot|FILE.svg]\n"
	           "                    OBJECT...\n"
	           "Predicts whether the kernel loads each program of each BPF object.\n");
}

const char *vfy_bpfcc_verdict(const struct objcheck_prog *p)
{
	switch (p->stage) {
	case OBJCHECK_OK:
		return "loads";
	case OBJCHECK_CHECK:
		return "refused by the object checks";
	case OBJCHECK_LINK:
		return "refused by the link step";
	case OBJCHECK_VERIFIER:
		return "refused by the verifier";
	case OBJCHECK_INTERNAL:
		break;
	}
	return "not decided (internal error)";
}

static int push(const char ***v, size_t *n, const char *s)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -ENOMEM;
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

/* 0, 1 (help shown), or -1 (usage error reported). */
static int vfy_parse(int argc, char **argv, struct vfy_cmd *cmd)
{
	bool opts_done = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int err = 0;

		if (opts_done || a[0] != '-' || !a[1]) {
			err = push(&cmd->paths, &cmd->nr_paths, a);
		} else if (strcmp(a, "--") == 0) {
			opts_done = true;
		} else if (strncmp(a, "--program=", 10) == 0 && a[10]) {
			err = push(&cmd->programs, &cmd->nr_programs, a + 10);
		} else if (strncmp(a, "--target-btf=", 13) == 0 && a[13]) {
			cmd->target_btf = a + 13;
		} else if (strncmp(a, "--kconfig=", 10) == 0 && a[10]) {
			cmd->kconfig = a + 10;
		} else if (strcmp(a, "--format=text") == 0) {
			cmd->format = VFY_FORMAT_TEXT;
		} else if (strcmp(a, "--format=json") == 0) {
			cmd->format = VFY_FORMAT_JSON;
		} else if (strcmp(a, "--format=csv") == 0) {
			cmd->format = VFY_FORMAT_CSV;
		} else if (strcmp(a, "--format=sarif") == 0) {
			cmd->format = VFY_FORMAT_SARIF;
		} else if (strcmp(a, "--against-kernel") == 0) {
			cmd->against_kernel = true;
		} else if (strcmp(a, "--verifier-log") == 0) {
			cmd->verifier_log = true;
		} else if (strncmp(a, "--emit-cfg=", 11) == 0 && a[11]) {
			cmd->emit_cfg = a + 11;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 1;
		} else {
			fprintf(stderr, "bpfcc: error: verify: unknown option '%s'\n", a);
			usage(stderr);
			return -1;
		}
		if (err) {
			fprintf(stderr, "bpfcc: error: out of memory\n");
			return -1;
		}
	}
	if (!cmd->nr_paths) {
		fprintf(stderr, "bpfcc: error: verify: no object given\n");
		usage(stderr);
		return -1;
	}
	if (cmd->emit_cfg && strlen(cmd->emit_cfg) > 4 &&
	    strcmp(cmd->emit_cfg + strlen(cmd->emit_cfg) - 4, ".svg") == 0 && !vfy_cfg_find_dot()) {
		fprintf(stderr,
		        "bpfcc: error: verify: --emit-cfg=%s needs Graphviz's 'dot' program, which "
		        "is not on PATH (install graphviz, or write a .dot file)\n",
		        cmd->emit_cfg);
		return -1;
	}
	if (cmd->against_kernel && cmd->format == VFY_FORMAT_CSV) {
		fprintf(stderr, "bpfcc: error: verify: --format=csv holds bpfcc's numbers only; "
		                "use --format=json with --against-kernel\n");
		return -1;
	}
	return 0;
}

/* --- text and csv -------------------------------------------------------------------- */

static void text_bpfcc(FILE *out, const char *label, const struct objcheck_prog *p)
{
	fprintf(out, "%s%s", label, vfy_bpfcc_verdict(p));
	if (p->stage == OBJCHECK_VERIFIER && p->verifier_ran) {
		if (p->verdict.insn >= 0)
			fprintf(out, " at insn %d", p->verdict.insn);
		if (p->verdict.kernel_msg[0])
			fprintf(out, ": %s", p->verdict.kernel_msg);
	} else if (p->stage == OBJCHECK_OK && p->verifier_ran) {
		fprintf(out, ", %zu insns, %llu processed, %u states", p->insn_cnt,
		        (unsigned long long)p->stats.insns_processed, p->stats.total_states);
	}
	fputc('\n', out);
}

static void text_kernel(FILE *out, const struct vfy_kernel *k)
{
	fprintf(out, "  kernel: %s", k->verdict);
	if (k->step && strcmp(k->verdict, "rejected") != 0)
		fprintf(out, " at step %s (%s)", k->step, strerror(-k->err));
	if (k->insn >= 0)
		fprintf(out, " at insn %d", k->insn);
	if (k->src_file && k->src_line)
		fprintf(out, " (%s:%u)", k->src_file, k->src_line);
	if (k->message)
		fprintf(out, ": %s", k->message);
	if (k->processed_insns >= 0)
		fprintf(out, "; %ld insns processed", k->processed_insns);
	if (k->verification_usec >= 0)
		fprintf(out, ", %ld usec", k->verification_usec);
	fputc('\n', out);
}

static void text_file(FILE *out, const struct vfy_run *run, const struct vfy_file *f)
{
	if (!f->unreadable && !f->nr_progs)
		fprintf(out, "%s: no %sprograms\n", f->path, run->cmd->nr_programs ? "such " : "");
	for (size_t i = 0; i < f->nr_progs; i++) {
		const struct vfy_prog *p = &f->progs[i];

		if (!run->cmd->against_kernel) {
			fprintf(out, "%s: %s (%s): ", f->path, p->bp.name, p->bp.section);
			text_bpfcc(out, "", &p->bp);
			continue;
		}
		fprintf(out, "%s: %s (%s)\n", f->path, p->bp.name, p->bp.section);
		text_bpfcc(out, "  bpfcc:  ", &p->bp);
		if (p->kernel.asked)
			text_kernel(out, &p->kernel);
		if (p->agree == VFY_DISAGREE)
			fprintf(out, "  DISAGREE: bpfcc says it %s, the kernel %s it\n",
			        p->bp.stage == OBJCHECK_OK ? "loads" : "is refused",
			        strcmp(p->kernel.verdict, "accepted") == 0 ? "accepts" : "refuses");
		else if (p->agree == VFY_AGREE && p->kernel.message_compared)
			fprintf(out, "  agree, %s\n",
			        p->kernel.same_message
			            ? "same message"
			            : "but the kernel's log has another message");
		else if (p->agree == VFY_AGREE)
			fprintf(out, "  agree\n");
		else
			fprintf(out, "  not compared: %s\n",
			        p->kernel.before_verifier
			            ? "the kernel refuses to load this program type here "
			              "(EPERM before its verifier ran)"
			            : "bpfcc could not decide");
	}
}

static void csv_file(FILE *out, const struct vfy_file *f)
{
	char *copy = strdup(f->path);
	const char *base = copy ? basename(copy) : f->path;

	for (size_t i = 0; i < f->nr_progs; i++) {
		const struct objcheck_prog *p = &f->progs[i].bp;

		/* veristat: duration in us, mem_peak in MiB. */
		fprintf(out, "%s,%s,%s,%llu,%llu,%u,%u,%llu\n", base, p->name,
		        p->stage == OBJCHECK_OK ? "success" : "failure",
		        (unsigned long long)(p->stats.duration_ns / 1000),
		        (unsigned long long)p->stats.insns_processed, p->stats.total_states,
		        p->stats.peak_states, (unsigned long long)(p->stats.mem_peak >> 20));
	}
	free(copy);
}

/* --- the run ------------------------------------------------------------------------- */

/* --verifier-log: one line of the verifier's trace, on stdout like the kernel's log. */
static void vfy_trace_line(void *ctx, const char *line)
{
	(void)ctx;
	fputs(line, stdout);
	fputc('\n', stdout);
}

/* Verifies one object; returns the exit status for it. */
static int vfy_file(struct vfy_run *run, struct vfy_file *f, const struct btf *target_btf,
                    struct diag_sink *sink)
{
	const struct vfy_cmd *cmd = run->cmd;
	struct objcheck_options opts = {
	    .target_btf = target_btf,
	    .kconfig = run->kconfig,
	    .kernel = run->kernel,
	    .programs = cmd->nr_programs ? cmd->programs : NULL,
	    .nr_programs = cmd->nr_programs,
	    .trace_fn = cmd->verifier_log ? vfy_trace_line : NULL,
	};
	struct objcheck_result res;
	unsigned errors = diag_error_count(sink);
	int err;

	if (run->cfg)
		vfy_cfg_hook(run->cfg, (size_t)(f - run->files), &opts);
	f->obj = obj_open_file(f->path, sink);
	if (!f->obj) {
		f->unreadable = true;
		return DRV_EXIT_USAGE;
	}
	err = objcheck_run(f->obj, &opts, sink, &res);
	if (err == -ENOMEM) {
		diag_errorf(sink, NULL, NULL, "out of memory");
		return DRV_EXIT_USAGE;
	}
	f->progs = calloc(res.nr_progs ? res.nr_progs : 1, sizeof(*f->progs));
	if (!f->progs) {
		objcheck_result_free(&res);
		diag_errorf(sink, NULL, NULL, "out of memory");
		return DRV_EXIT_USAGE;
	}
	for (size_t i = 0; i < res.nr_progs; i++)
		f->progs[i].bp = res.progs[i];
	f->nr_progs = res.nr_progs;
	objcheck_result_free(&res);
	if (cmd->against_kernel) {
		if (vfy_kernel_ask(run, f)) {
			diag_errorf(sink, NULL, NULL, "%s: asking the kernel failed: out of memory",
			            f->path);
			return DRV_EXIT_USAGE;
		}
		return DRV_EXIT_OK;
	}
	return err || diag_error_count(sink) > errors ? DRV_EXIT_DIAG : DRV_EXIT_OK;
}

/* Names given with --program that no object has: a usage error. */
static int vfy_check_programs(const struct vfy_run *run, struct diag_sink *sink)
{
	int status = DRV_EXIT_OK;

	for (size_t i = 0; i < run->cmd->nr_programs; i++) {
		const char *name = run->cmd->programs[i];
		bool found = false;

		for (size_t k = 0; k < run->nr_files && !found; k++) {
			const struct vfy_file *f = &run->files[k];

			found = f->unreadable; /* no word on programs of an unreadable file */
			for (size_t j = 0; j < f->nr_progs && !found; j++)
				found = strcmp(f->progs[j].bp.name, name) == 0;
		}
		if (!found) {
			diag_errorf(sink, NULL, NULL, "no entry program named '%s' in %s", name,
			            run->nr_files == 1 ? run->files[0].path : "any object given");
			status = DRV_EXIT_USAGE;
		}
	}
	return status;
}

static int worst(int a, int b)
{
	return a > b ? a : b;
}

static int vfy_run_all(struct vfy_run *run, struct diag_sink *sink)
{
	const struct vfy_cmd *cmd = run->cmd;
	struct btf *target_btf = NULL;
	struct check_kconfig *kconfig;
	bool btf_failed = false;
	int status = DRV_EXIT_OK;

	if (cmd->against_kernel) {
		struct utsname u;
		char why[256] = "";

		if (vfy_kernel_probe(why, sizeof(why))) {
			diag_errorf(sink, NULL, NULL,
			            "--against-kernel: the running kernel cannot be asked: %s",
			            why[0] ? why : "loading BPF programs needs root or CAP_BPF");
			return DRV_EXIT_USAGE;
		}
		if (uname(&u) == 0)
			snprintf(run->kernel_release, sizeof(run->kernel_release), "%s", u.release);
	}
	target_btf = objcheck_load_target_btf(cmd->target_btf, sink, &btf_failed);
	if (btf_failed)
		return DRV_EXIT_USAGE;
	kconfig = objcheck_load_kconfig(cmd->kconfig, !cmd->target_btf, sink, &btf_failed);
	if (btf_failed) {
		btf__free(target_btf);
		return DRV_EXIT_USAGE;
	}
	run->kconfig = kconfig;
	run->kernel = objcheck_kernel_btf(target_btf, !cmd->target_btf);
	for (size_t i = 0; i < run->nr_files; i++) {
		struct vfy_file *f = &run->files[i];

		f->path = cmd->paths[i];
		status = worst(status, vfy_file(run, f, target_btf, sink));
		if (cmd->format == VFY_FORMAT_TEXT)
			text_file(stdout, run, f);
	}
	check_kernel_btf_free(run->kernel);
	run->kernel = NULL;
	btf__free(target_btf);
	check_kconfig_free(kconfig);
	run->kconfig = NULL;
	status = worst(status, vfy_check_programs(run, sink));
	if (cmd->against_kernel) {
		if (run->disagree)
			status = worst(status, DRV_EXIT_DIAG);
		if (cmd->format == VFY_FORMAT_TEXT)
			printf("kernel %s: %zu agree, %zu disagree, %zu not compared\n",
			       run->kernel_release, run->agree, run->disagree, run->not_compared);
	}
	if (cmd->format == VFY_FORMAT_CSV) {
		printf("file_name,prog_name,verdict,duration,total_insns,total_states,"
		       "peak_states,mem_peak\n");
		for (size_t i = 0; i < run->nr_files; i++)
			csv_file(stdout, &run->files[i]);
	}
	return status;
}

static void vfy_run_free(struct vfy_run *run)
{
	for (size_t i = 0; i < run->nr_files; i++) {
		struct vfy_file *f = &run->files[i];

		for (size_t k = 0; k < f->nr_progs; k++)
			vfy_kernel_free(&f->progs[k].kernel);
		free(f->progs);
		free(f->kernel_error);
		obj_free(f->obj);
	}
	free(run->files);
}

int cmd_verify(int argc, char **argv)
{
	struct vfy_cmd cmd = {.format = VFY_FORMAT_TEXT};
	struct vfy_run run = {.cmd = &cmd};
	struct vfy_cfg cfg;
	struct diag_sink *sink = NULL;
	char *json = NULL;
	size_t json_len = 0;
	FILE *json_out = NULL;
	int status = vfy_parse(argc, argv, &cmd);

	if (status) {
		free(cmd.paths);
		free(cmd.programs);
		return status > 0 ? DRV_EXIT_OK : DRV_EXIT_USAGE;
	}
	run.files = calloc(cmd.nr_paths, sizeof(*run.files));
	run.nr_files = run.files ? cmd.nr_paths : 0;
	if (cmd.format == VFY_FORMAT_JSON)
		json_out = open_memstream(&json, &json_len);
	if (cmd.format == VFY_FORMAT_SARIF)
		sink = diag_sink_new(stdout, DIAG_FORMAT_SARIF);
	else if (json_out)
		sink = diag_sink_new(json_out, DIAG_FORMAT_JSON);
	else if (cmd.format != VFY_FORMAT_JSON)
		sink = diag_sink_new(stderr, DIAG_FORMAT_TEXT);
	if (!run.files || !sink) {
		fprintf(stderr, "bpfcc: error: out of memory\n");
		status = DRV_EXIT_USAGE;
		goto out;
	}
	diag_sink_set_tool(sink, "bpfcc");
	diag_sink_set_color(sink, cmd.format == VFY_FORMAT_TEXT && isatty(STDERR_FILENO));
	if (cmd.emit_cfg) {
		/* before any work: an unwritable place is reported at once */
		if (vfy_cfg_begin(&cfg, cmd.emit_cfg, sink)) {
			run.nr_files = 0; /* nothing was looked at */
			status = DRV_EXIT_USAGE;
			goto flush;
		}
		run.cfg = &cfg;
	}
	status = vfy_run_all(&run, sink);
	if (run.cfg && vfy_cfg_finish(run.cfg, &run, sink))
		status = worst(status, DRV_EXIT_USAGE);
flush:
	if (json_out) {
		diag_sink_flush(sink);
		diag_sink_free(sink);
		sink = NULL;
		fclose(json_out);
		json_out = NULL;
		if (vfy_render_json(stdout, &run, json))
			status = DRV_EXIT_USAGE;
	}
out:
	if (run.cfg)
		vfy_cfg_free(run.cfg);
	diag_sink_free(sink);
	if (json_out)
		fclose(json_out);
	free(json);
	vfy_run_free(&run);
	free(cmd.paths);
	free(cmd.programs);
	if (fflush(stdout) != 0 && status == DRV_EXIT_OK)
		status = DRV_EXIT_USAGE;
	return status;
}
