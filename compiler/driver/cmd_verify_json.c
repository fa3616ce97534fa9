/*
 * cmd_verify_json.c - `bpfcc verify --format=json`: one document on standard output.
 *
 *   {"version":1,"diagnostics":[...],           <- exactly the diagnostics sink's JSON
 *    "kernel_release":"6.18.0",                 <- --against-kernel only
 *    "summary":{"agree":1,"disagree":0,"not_compared":0},
 *    "objects":[{"file":"x.o","programs":[{"name":"prog","section":"xdp",
 *      "verdict":"success","stage":"ok","insns":12,"stats":{"duration_us":3,
 *      "total_insns":12,"total_states":1,"peak_states":1,"mem_peak":0},
 *      "kernel":{"verdict":"accepted",...},"agreement":"agree"}]}]}
 *
 * When both refuse a program, "kernel" also says whether its log holds bpfcc's kernel
 * message ("same_message").
 *
 * The document starts with the sink's own members, so a tool that reads bpfcc's
 * diagnostics JSON reads this one too.  "verdict" uses veristat's words (success /
 * failure); "stats" uses veristat's column names and units; "kernel" holds the running
 * kernel's answer with its kinds (accepted / rejected / failed and the failing step).
 */
#include <errno.h>
#include <string.h>

#include "diag/json_writer.h"
#include "driver/cmd_verify.h"

static void j_str(FILE *out, const char *key, const char *v, bool comma)
{
	fprintf(out, "%s\"%s\":\"", comma ? "," : "", key);
	if (v)
		json_write_escaped(out, v, strlen(v));
	fputc('"', out);
}

static void j_num(FILE *out, const char *key, long long v)
{
	fprintf(out, ",\"%s\":%lld", key, v);
}

/* A count the kernel may not have given (-1): null then. */
static void j_opt(FILE *out, const char *key, long v)
{
	if (v < 0)
		fprintf(out, ",\"%s\":null", key);
	else
		fprintf(out, ",\"%s\":%ld", key, v);
}

static void j_kernel(FILE *out, const struct vfy_kernel *k)
{
	fprintf(out, ",\"kernel\":{");
	j_str(out, "verdict", k->verdict, false);
	if (k->step)
		j_str(out, "step", k->step, true);
	if (k->err)
		j_str(out, "error", strerror(-k->err), true);
	if (k->message)
		j_str(out, "message", k->message, true);
	if (k->insn >= 0)
		j_num(out, "insn", k->insn);
	if (k->src_file)
		j_str(out, "file", k->src_file, true);
	if (k->src_line)
		j_num(out, "line", k->src_line);
	j_opt(out, "processed_insns", k->processed_insns);
	j_opt(out, "total_states", k->total_states);
	j_opt(out, "peak_states", k->peak_states);
	j_opt(out, "verification_usec", k->verification_usec);
	if (k->message_compared)
		fprintf(out, ",\"same_message\":%s", k->same_message ? "true" : "false");
	fprintf(out, ",\"before_verifier\":%s}", k->before_verifier ? "true" : "false");
}

static void j_prog(FILE *out, const struct vfy_run *run, const struct vfy_prog *p)
{
	const struct objcheck_prog *bp = &p->bp;

	fputc('{', out);
	j_str(out, "name", bp->name, false);
	j_str(out, "section", bp->section, true);
	j_num(out, "prog_type", bp->prog_type);
	j_str(out, "verdict", bp->stage == OBJCHECK_OK ? "success" : "failure", true);
	j_str(out, "stage", objcheck_stage_name(bp->stage), true);
	if (bp->insn_cnt)
		j_num(out, "insns", (long long)bp->insn_cnt);
	if (bp->verifier_ran && !bp->verdict.ok) {
		const char *rule = vrf_rule_id(bp->verdict.rule);

		if (rule)
			j_str(out, "rule", rule, true);
		if (bp->verdict.insn >= 0)
			j_num(out, "insn", bp->verdict.insn);
		if (bp->verdict.kernel_msg[0])
			j_str(out, "kernel_message", bp->verdict.kernel_msg, true);
	}
	if (bp->verifier_ran) {
		fprintf(out, ",\"stats\":{\"duration_us\":%llu",
		        (unsigned long long)(bp->stats.duration_ns / 1000));
		j_num(out, "total_insns", (long long)bp->stats.insns_processed);
		j_num(out, "total_states", bp->stats.total_states);
		j_num(out, "peak_states", bp->stats.peak_states);
		j_num(out, "mem_peak", (long long)bp->stats.mem_peak);
		fputc('}', out);
	}
	if (run->cmd->against_kernel) {
		if (p->kernel.asked)
			j_kernel(out, &p->kernel);
		j_str(out, "agreement", vfy_agree_name(p->agree), true);
	}
	fputc('}', out);
}

int vfy_render_json(FILE *out, const struct vfy_run *run, const char *diag_json)
{
	const char *open = diag_json ? strchr(diag_json, '{') : NULL;
	const char *close = diag_json ? strrchr(diag_json, '}') : NULL;

	fputc('{', out);
	if (open && close && close > open + 1)
		fwrite(open + 1, 1, (size_t)(close - open - 1), out);
	else
		fputs("\"version\":1,\"diagnostics\":[]", out);
	if (run->cmd->against_kernel) {
		j_str(out, "kernel_release", run->kernel_release, true);
		fprintf(out, ",\"summary\":{\"agree\":%zu,\"disagree\":%zu,\"not_compared\":%zu}",
		        run->agree, run->disagree, run->not_compared);
	}
	fprintf(out, ",\"objects\":[");
	for (size_t i = 0; i < run->nr_files; i++) {
		const struct vfy_file *f = &run->files[i];

		fprintf(out, "%s{", i ? "," : "");
		j_str(out, "file", f->path, false);
		fprintf(out, ",\"readable\":%s", f->unreadable ? "false" : "true");
		if (f->kernel_error)
			j_str(out, "kernel_error", f->kernel_error, true);
		fprintf(out, ",\"programs\":[");
		for (size_t k = 0; k < f->nr_progs; k++) {
			if (k)
				fputc(',', out);
			j_prog(out, run, &f->progs[k]);
		}
		fprintf(out, "]}");
	}
	fprintf(out, "]}\n");
	return ferror(out) ? -EIO : 0;
}
