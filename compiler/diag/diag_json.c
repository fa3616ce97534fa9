/*
 * diag_json.c - the JSON rendering: one document with every finding, for tools.
 *
 *   {"version":1,"diagnostics":[{"level":"error","rule":"ir-float","file":"a.bpf.c",
 *    "line":3,"column":9,"message":"...","path":[{"file":"a.bpf.c","line":2,...}]}]}
 *
 * Members, in this order: level, rule, category, file, line, column, program, section,
 * insn, message, kernel_message, explanation, hint, path [{file, line, column, insn,
 * branch, target_insn, text}].  A member whose value is absent is left out (no rule, line
 * or column 0, insn -1, no path; branch and target_insn only for a conditional jump, branch
 * "taken" or "not_taken"); message and a step's text are always there.  "level" is the
 * level after -Werror and --verify=warn.  The document is written compact, on one line, so
 * that line-oriented tools (grep, jq -c pipelines, CI logs) take it whole; "version"
 * changes only when a member changes meaning.  docs/diagnostics.schema.json is its JSON
 * Schema and docs/diagnostics.md describes it; unit/diag_json_schema checks real output
 * against the schema.
 */
#include "diag/diag_int.h"
#include "diag/json_writer.h"

static void put_step(struct json_writer *w, const struct diag_step *s)
{
	bool branch = s->kind == DIAG_STEP_BRANCH_TAKEN || s->kind == DIAG_STEP_BRANCH_NOT_TAKEN;

	json_begin_object(w);
	json_member_string_opt(w, "file", s->loc.file);
	json_member_uint_opt(w, "line", s->loc.line);
	json_member_uint_opt(w, "column", s->loc.col);
	json_member_int_opt(w, "insn", s->insn);
	if (branch) {
		json_member_string(w, "branch",
		                   s->kind == DIAG_STEP_BRANCH_TAKEN ? "taken" : "not_taken");
		json_member_int_opt(w, "target_insn", s->target);
	}
	json_member_string(w, "text", s->text);
	json_end_object(w);
}

static void put_diag(struct json_writer *w, const struct diag *d)
{
	json_begin_object(w);
	json_member_string(w, "level", diag_level_name(d->level));
	json_member_string_opt(w, "rule", d->rule);
	json_member_string_opt(w, "category", d->category);
	json_member_string_opt(w, "file", d->loc.file);
	json_member_uint_opt(w, "line", d->loc.line);
	json_member_uint_opt(w, "column", d->loc.col);
	json_member_string_opt(w, "program", d->program);
	json_member_string_opt(w, "section", d->section);
	json_member_int_opt(w, "insn", d->insn);
	json_member_string(w, "message", d->message);
	json_member_string_opt(w, "kernel_message", d->kernel_msg);
	json_member_string_opt(w, "explanation", d->explanation);
	json_member_string_opt(w, "hint", d->hint);
	if (d->path_len) {
		json_key(w, "path");
		json_begin_array(w);
		for (unsigned i = 0; i < d->path_len; i++)
			put_step(w, &d->path[i]);
		json_end_array(w);
	}
	json_end_object(w);
}

int diag_json_render(struct diag_sink *sink)
{
	struct json_writer w;

	json_writer_init(&w, sink->out, false);
	json_begin_object(&w);
	json_key(&w, "version");
	json_uint(&w, 1);
	json_key(&w, "diagnostics");
	json_begin_array(&w);
	for (size_t i = 0; i < sink->nr_records; i++)
		put_diag(&w, &sink->records[i].d);
	json_end_array(&w);
	json_end_object(&w);
	return json_writer_finish(&w);
}
