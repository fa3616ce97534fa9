/*
 * diag_sink.c - the diagnostics sink: options, levels, counting, keeping findings.
 *
 * Every finding of every stage arrives here through diag_emit().  The sink first decides
 * the finding's final level, the way gcc and clang treat their warning flags:
 *
 *   - a rule set to "suppressed" (-Wno-<rule>) drops that rule's warnings and notes;
 *     errors cannot be suppressed: an error means the kernel (or the toolchain) refuses
 *     the input, and hiding it would only move the failure to load time;
 *   - -Werror=<rule> makes that rule's warnings errors, even under -w;
 *   - -Wno-error=<rule> keeps that rule's warnings warnings, even under -Werror;
 *   - otherwise -w drops warnings and -Werror makes them errors.
 *
 * The one exception to "errors stay errors" is asked for explicitly: with
 * diag_sink_set_errors_as_warnings() (--verify=warn) an error that has a rule enters the
 * steps above as a warning.
 *
 * Notes never count.  Text is rendered at once, so a long build shows its findings as
 * they come; JSON and SARIF are single documents, so findings are copied and kept until
 * diag_sink_flush() (or diag_sink_free()) writes the document.
 */
#include "diag/diag_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static char *dup_opt(const char *s, bool *oom)
{
	char *r;

	if (!s)
		return NULL;
	r = strdup(s);
	if (!r)
		*oom = true;
	return r;
}

struct diag_sink *diag_sink_new(FILE *out, enum diag_format format)
{
	struct diag_sink *sink;

	if (!out || (format != DIAG_FORMAT_TEXT && format != DIAG_FORMAT_JSON &&
	             format != DIAG_FORMAT_SARIF))
		return NULL;
	sink = calloc(1, sizeof(*sink));
	if (!sink)
		return NULL;
	sink->out = out;
	sink->format = format;
	sink->tool = strdup("bpfcc");
	if (!sink->tool) {
		free(sink);
		return NULL;
	}
	return sink;
}

static void diag_free_fields(struct diag *d)
{
	for (unsigned i = 0; i < d->path_len; i++) {
		free((char *)d->path[i].loc.file);
		free((char *)d->path[i].text);
	}
	free((struct diag_step *)d->path);
	free((char *)d->rule);
	free((char *)d->category);
	free((char *)d->loc.file);
	free((char *)d->program);
	free((char *)d->section);
	free((char *)d->message);
	free((char *)d->kernel_msg);
	free((char *)d->explanation);
	free((char *)d->hint);
}

void diag_sink_free(struct diag_sink *sink)
{
	if (!sink)
		return;
	diag_sink_flush(sink);
	for (size_t i = 0; i < sink->nr_records; i++)
		diag_free_fields(&sink->records[i].d);
	free(sink->records);
	for (size_t i = 0; i < sink->nr_levels; i++)
		free(sink->levels[i].rule);
	free(sink->levels);
	for (size_t i = 0; i < sink->nr_descs; i++) {
		free(sink->descs[i].rule);
		free(sink->descs[i].summary);
		free(sink->descs[i].help);
	}
	free(sink->descs);
	diag_source_cache_free(sink->sources);
	free(sink->tool);
	free(sink->source_root);
	free(sink);
}

int diag_sink_flush(struct diag_sink *sink)
{
	int err = 0;

	if (!sink)
		return -EINVAL;
	if (sink->format == DIAG_FORMAT_TEXT) {
		if (fflush(sink->out) != 0 || ferror(sink->out))
			return -EIO;
		return 0;
	}
	if (sink->flushed)
		return 0;
	sink->flushed = true;
	if (sink->format == DIAG_FORMAT_JSON)
		err = diag_json_render(sink);
	else
		err = diag_sarif_render(sink);
	return err;
}

void diag_sink_set_color(struct diag_sink *sink, bool color)
{
	if (sink)
		sink->color = color;
}

void diag_sink_set_tool(struct diag_sink *sink, const char *name)
{
	char *tool;

	if (!sink || !name)
		return;
	tool = strdup(name);
	if (!tool)
		return; /* keep the previous name */
	free(sink->tool);
	sink->tool = tool;
}

int diag_sink_set_source_root(struct diag_sink *sink, const char *dir)
{
	char *copy = NULL;

	if (!sink || (dir && dir[0] != '/'))
		return -EINVAL;
	if (dir && !(copy = strdup(dir)))
		return -ENOMEM;
	free(sink->source_root);
	sink->source_root = copy;
	return 0;
}

void diag_sink_set_werror(struct diag_sink *sink, bool werror)
{
	if (sink)
		sink->werror = werror;
}

void diag_sink_set_no_warnings(struct diag_sink *sink, bool off)
{
	if (sink)
		sink->no_warnings = off;
}

void diag_sink_set_errors_as_warnings(struct diag_sink *sink, bool on)
{
	if (sink)
		sink->errors_as_warnings = on;
}

static struct diag_rule_level *find_level(const struct diag_sink *sink, const char *rule)
{
	if (!rule)
		return NULL;
	for (size_t i = 0; i < sink->nr_levels; i++)
		if (strcmp(sink->levels[i].rule, rule) == 0)
			return &sink->levels[i];
	return NULL;
}

int diag_sink_set_rule_level(struct diag_sink *sink, const char *rule, enum diag_level level,
                             bool suppress)
{
	struct diag_rule_level *rl, *grown;
	char *copy;

	if (!sink || !rule || !*rule || level < DIAG_NOTE || level > DIAG_ERROR)
		return -EINVAL;
	rl = find_level(sink, rule);
	if (!rl) {
		copy = strdup(rule);
		if (!copy)
			return -ENOMEM;
		grown = realloc(sink->levels, (sink->nr_levels + 1) * sizeof(*grown));
		if (!grown) {
			free(copy);
			return -ENOMEM;
		}
		sink->levels = grown;
		rl = &sink->levels[sink->nr_levels++];
		rl->rule = copy;
	}
	rl->level = level;
	rl->suppress = suppress || level == DIAG_NOTE;
	return 0;
}

const struct diag_rule_desc *diag_sink_find_desc(const struct diag_sink *sink, const char *rule)
{
	if (!rule)
		return NULL;
	for (size_t i = 0; i < sink->nr_descs; i++)
		if (strcmp(sink->descs[i].rule, rule) == 0)
			return &sink->descs[i];
	return NULL;
}

int diag_sink_describe_rule(struct diag_sink *sink, const char *rule, const char *summary,
                            const char *help)
{
	struct diag_rule_desc *desc, *grown;
	char *r = NULL, *s, *h;
	bool oom = false;

	if (!sink || !rule || !*rule || !summary)
		return -EINVAL;
	desc = (struct diag_rule_desc *)diag_sink_find_desc(sink, rule);
	if (!desc)
		r = dup_opt(rule, &oom);
	s = dup_opt(summary, &oom);
	h = dup_opt(help, &oom);
	if (oom)
		goto nomem;
	if (!desc) {
		grown = realloc(sink->descs, (sink->nr_descs + 1) * sizeof(*grown));
		if (!grown)
			goto nomem;
		sink->descs = grown;
		desc = &sink->descs[sink->nr_descs++];
		desc->rule = r;
	} else {
		free(desc->summary);
		free(desc->help);
	}
	desc->summary = s;
	desc->help = h;
	return 0;
nomem:
	free(r);
	free(s);
	free(h);
	return -ENOMEM;
}

const char *diag_level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_NOTE:
		return "note";
	case DIAG_WARNING:
		return "warning";
	case DIAG_ERROR:
		break;
	}
	return "error";
}

/* The final level of `d` under the sink's options; false when it is dropped. */
static bool resolve_level(const struct diag_sink *sink, const struct diag *d,
                          enum diag_level *level, enum diag_origin *origin)
{
	const struct diag_rule_level *rl = find_level(sink, d->rule);

	*level = d->level;
	*origin = DIAG_ORIGIN_AS_EMITTED;
	if (d->level == DIAG_ERROR) {
		if (!sink->errors_as_warnings || !d->rule)
			return true;
		/* --verify=warn: from here on a warning like any other */
		*level = DIAG_WARNING;
		*origin = DIAG_ORIGIN_DEMOTED;
	}
	if (rl && rl->suppress)
		return false;
	if (d->level == DIAG_NOTE)
		return true;
	if (rl && rl->level == DIAG_ERROR) {
		*level = DIAG_ERROR;
		*origin = DIAG_ORIGIN_PROMOTED;
		return true;
	}
	if (sink->no_warnings)
		return false;
	if (sink->werror && !(rl && rl->level == DIAG_WARNING)) {
		*level = DIAG_ERROR;
		*origin = DIAG_ORIGIN_PROMOTED;
	}
	return true;
}

/* Deep copy of `src` into `dst`; on failure `dst` holds what was copied (free it). */
static int diag_copy(struct diag *dst, const struct diag *src)
{
	bool oom = false;
	unsigned n = src->path ? src->path_len : 0;

	*dst = *src;
	dst->path = NULL;
	dst->path_len = 0;
	dst->rule = dup_opt(src->rule, &oom);
	dst->category = dup_opt(src->category, &oom);
	dst->loc.file = dup_opt(src->loc.file, &oom);
	dst->program = dup_opt(src->program, &oom);
	dst->section = dup_opt(src->section, &oom);
	dst->message = dup_opt(src->message ? src->message : "", &oom);
	dst->kernel_msg = dup_opt(src->kernel_msg, &oom);
	dst->explanation = dup_opt(src->explanation, &oom);
	dst->hint = dup_opt(src->hint, &oom);
	if (n) {
		struct diag_step *steps = calloc(n, sizeof(*steps));

		if (!steps)
			return -ENOMEM;
		dst->path = steps;
		dst->path_len = n;
		for (unsigned i = 0; i < n; i++) {
			steps[i] = src->path[i];
			steps[i].loc.file = dup_opt(src->path[i].loc.file, &oom);
			steps[i].text = dup_opt(src->path[i].text ? src->path[i].text : "", &oom);
		}
	}
	return oom ? -ENOMEM : 0;
}

static int keep_record(struct diag_sink *sink, const struct diag *d, enum diag_level level,
                       enum diag_origin origin)
{
	struct diag_record *r;
	int err;

	if (sink->nr_records == sink->cap_records) {
		size_t cap = sink->cap_records ? 2 * sink->cap_records : 16;
		struct diag_record *grown = realloc(sink->records, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		sink->records = grown;
		sink->cap_records = cap;
	}
	r = &sink->records[sink->nr_records];
	err = diag_copy(&r->d, d);
	if (err) {
		diag_free_fields(&r->d);
		return err;
	}
	r->d.level = level;
	r->origin = origin;
	sink->nr_records++;
	return 0;
}

int diag_emit(struct diag_sink *sink, const struct diag *in)
{
	enum diag_level level;
	enum diag_origin origin;
	struct diag filled, *d = &filled;

	if (!sink || !in || in->level < DIAG_NOTE || in->level > DIAG_ERROR)
		return -EINVAL;
	/* Every rule has a category: the stage's own, else the table's (rule_category.def). */
	filled = *in;
	if (!filled.category)
		filled.category = diag_category_name(diag_rule_category(filled.rule));
	if (!resolve_level(sink, d, &level, &origin))
		return 0;
	if (level == DIAG_ERROR)
		sink->errors++;
	else if (level == DIAG_WARNING)
		sink->warnings++;

	if (sink->format == DIAG_FORMAT_TEXT) {
		struct diag_record r = {.d = *d, .origin = origin};

		r.d.level = level;
		if (!r.d.message)
			r.d.message = "";
		if (!r.d.path)
			r.d.path_len = 0;
		diag_text_render(sink, &r);
		return 0;
	}
	return keep_record(sink, d, level, origin);
}

void diag_vreport(struct diag_sink *sink, enum diag_level level, const char *rule,
                  const struct diag_loc *loc, const char *fmt, va_list ap)
{
	struct diag d = {
	    .level = level,
	    .rule = rule,
	    .insn = -1,
	};
	char *msg = NULL;

	if (!sink || !fmt)
		return;
	if (loc)
		d.loc = *loc;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	d.message = msg ? msg : fmt; /* out of memory: the unformatted text still tells */
	diag_emit(sink, &d);
	free(msg);
}

void diag_errorf(struct diag_sink *sink, const char *rule, const struct diag_loc *loc,
                 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(sink, DIAG_ERROR, rule, loc, fmt, ap);
	va_end(ap);
}

void diag_warnf(struct diag_sink *sink, const char *rule, const struct diag_loc *loc,
                const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(sink, DIAG_WARNING, rule, loc, fmt, ap);
	va_end(ap);
}

void diag_notef(struct diag_sink *sink, const struct diag_loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vreport(sink, DIAG_NOTE, NULL, loc, fmt, ap);
	va_end(ap);
}

unsigned diag_error_count(const struct diag_sink *sink)
{
	return sink ? sink->errors : 0;
}

unsigned diag_warning_count(const struct diag_sink *sink)
{
	return sink ? sink->warnings : 0;
}
