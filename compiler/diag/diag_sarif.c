/*
 * diag_sarif.c - the SARIF 2.1.0 rendering, for code-scanning services and IDEs.
 *
 * One log with one run, shaped for what GitHub code scanning documents for uploads:
 *
 *   - tool.driver names bpfcc and its version and lists every rule that has a finding, in
 *     order of first appearance: id, shortDescription, fullDescription, help (text and
 *     Markdown), defaultConfiguration.level and tags.  The texts come from
 *     diag_sink_describe_rule() when given, else from the rule's first finding (its
 *     explanation, hint and category; its message only when it has nothing else).
 *   - each finding with a rule is a result: ruleId and ruleIndex, level, message.text, one
 *     location (the file as a URI relative to the checkout with uriBaseId "%SRCROOT%" when
 *     it lies under the source root, else an absolute file:// URI; region startLine and
 *     startColumn; the program as a logical location), partialFingerprints, and the
 *     failing path as a codeFlow: one threadFlow, a location per branch decision (kinds
 *     "branch"), ending at the finding itself.  What SARIF has no member for (category,
 *     section, instruction index, kernel message, explanation, hint) is in the result's
 *     property bag.
 *   - findings without a rule (tool errors: a file that cannot be read, a bad option)
 *     are not results about the code: they are toolExecutionNotifications of the run's one
 *     invocation, whose executionSuccessful is false when one of them is an error.
 *
 * The fingerprint ("bpfcc/v1") hashes what identifies a finding across runs while the code
 * around it changes: rule, file, program, the kernel's message (else bpfcc's) and the
 * number of earlier results with the same four; not the line, which moves with edits.
 *
 * Output is pretty-printed, as SARIF files usually are, and validates against the SARIF
 * 2.1.0 JSON schema (unit/diag_sarif_schema checks this when the schema is installed).
 */
#include "diag/diag_int.h"
#include "diag/json_writer.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef BPFCC_VERSION
#define BPFCC_VERSION "0.0.0"
#endif

#define SARIF_SCHEMA                                                                               \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"                      \
	"sarif-schema-2.1.0.json"
#define SARIF_SRCROOT "%SRCROOT%"

/* Rules in order of first appearance, each with the record that introduced it. */
struct sarif_rules {
	const char **ids;
	const struct diag **firsts;
	size_t n;
};

/* What the renderer needs across results. */
struct sarif_ctx {
	struct json_writer *w;
	const struct diag_sink *sink;
	const char *root; /* source root, NULL when unknown */
	struct sarif_rules rules;
	uint64_t *prints; /* fingerprint hashes of the results written so far */
	size_t nr_prints;
	int err;
};

static int collect_rules(const struct diag_sink *sink, struct sarif_rules *rules)
{
	rules->ids = calloc(sink->nr_records + 1, sizeof(*rules->ids));
	rules->firsts = calloc(sink->nr_records + 1, sizeof(*rules->firsts));
	rules->n = 0;
	if (!rules->ids || !rules->firsts)
		return -ENOMEM;
	for (size_t i = 0; i < sink->nr_records; i++) {
		const struct diag *d = &sink->records[i].d;
		size_t j;

		if (!d->rule)
			continue;
		for (j = 0; j < rules->n; j++)
			if (strcmp(rules->ids[j], d->rule) == 0)
				break;
		if (j == rules->n) {
			rules->ids[rules->n] = d->rule;
			rules->firsts[rules->n++] = d;
		}
	}
	return 0;
}

static long rule_index(const struct sarif_rules *rules, const char *rule)
{
	for (size_t j = 0; rule && j < rules->n; j++)
		if (strcmp(rules->ids[j], rule) == 0)
			return (long)j;
	return -1;
}

static void put_text(struct json_writer *w, const char *key, const char *text)
{
	json_key(w, key);
	json_begin_object(w);
	json_member_string(w, "text", text);
	json_end_object(w);
}

static void put_physical(struct sarif_ctx *c, const struct diag_loc *loc)
{
	struct json_writer *w = c->w;
	bool relative;
	char *uri = diag_file_uri(loc->file, c->root, &relative);

	if (!uri) {
		c->err = -ENOMEM;
		return;
	}
	json_key(w, "physicalLocation");
	json_begin_object(w);
	json_key(w, "artifactLocation");
	json_begin_object(w);
	json_member_string(w, "uri", uri);
	if (relative)
		json_member_string(w, "uriBaseId", SARIF_SRCROOT);
	json_end_object(w);
	if (loc->line) {
		json_key(w, "region");
		json_begin_object(w);
		json_member_uint_opt(w, "startLine", loc->line);
		json_member_uint_opt(w, "startColumn", loc->col);
		json_end_object(w);
	}
	json_end_object(w);
	free(uri);
}

/* The first sentence of `text` (up to ". " or the end), malloc'd; NULL on ENOMEM. */
static char *first_sentence(const char *text)
{
	const char *end = strstr(text, ". ");

	return strndup(text, end ? (size_t)(end - text) + 1 : strlen(text));
}

/* "<a><sep><b>" or whichever is there, malloc'd; NULL on ENOMEM or when both are NULL. */
static char *join(const char *a, const char *sep, const char *b)
{
	char *r = NULL;

	if (a && b)
		return asprintf(&r, "%s%s%s", a, sep, b) < 0 ? NULL : r;
	return a || b ? strdup(a ? a : b) : NULL;
}

static void put_rule(struct sarif_ctx *c, const char *id, const struct diag *first)
{
	struct json_writer *w = c->w;
	const struct diag_rule_desc *desc = diag_sink_find_desc(c->sink, id);
	const char *why, *fix, *fallback = first->message;
	char *short_text, *help, *markdown;

	if (desc) {
		why = desc->summary;
		fix = desc->help;
	} else {
		why = first->explanation;
		fix = first->hint;
		if (!why && first->category) /* the category's summary, not one finding's words */
			why = diag_category_summary(diag_category_lookup(first->category));
	}
	short_text = desc ? strdup(desc->summary) : why ? first_sentence(why) : strdup(fallback);
	help = join(why ? why : fallback, "\n\nHow to fix: ", fix);
	markdown = join(why ? why : fallback, "\n\n**How to fix:** ", fix);
	if (!short_text || !help || !markdown) {
		c->err = -ENOMEM;
		goto out;
	}
	json_begin_object(w);
	json_member_string(w, "id", id);
	put_text(w, "shortDescription", short_text);
	put_text(w, "fullDescription", why ? why : fallback);
	json_key(w, "defaultConfiguration");
	json_begin_object(w);
	json_member_string(w, "level", diag_level_name(first->level));
	json_end_object(w);
	json_key(w, "help");
	json_begin_object(w);
	json_member_string(w, "text", help);
	json_member_string(w, "markdown", markdown);
	json_end_object(w);
	json_key(w, "properties");
	json_begin_object(w);
	json_key(w, "tags");
	json_begin_array(w);
	json_string(w, "ebpf");
	if (first->category)
		json_string(w, first->category);
	json_end_array(w);
	json_end_object(w);
	json_end_object(w);
out:
	free(short_text);
	free(help);
	free(markdown);
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	do { /* the terminating NUL too, so that ("ab","c") and ("a","bc") differ */
		h ^= *p;
		h *= 0x100000001b3ULL;
	} while (*p++);
	return h;
}

static void put_fingerprint(struct sarif_ctx *c, const struct diag *d)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned same = 0;
	char text[40];
	uint64_t *grown;

	h = fnv1a(h, d->rule);
	h = fnv1a(h, d->loc.file);
	h = fnv1a(h, d->program);
	h = fnv1a(h, d->kernel_msg ? d->kernel_msg : d->message);
	for (size_t i = 0; i < c->nr_prints; i++)
		same += c->prints[i] == h;
	grown = realloc(c->prints, (c->nr_prints + 1) * sizeof(*grown));
	if (!grown) {
		c->err = -ENOMEM;
		return;
	}
	c->prints = grown;
	c->prints[c->nr_prints++] = h;
	snprintf(text, sizeof(text), "%016" PRIx64 ":%u", h, same + 1);
	json_key(c->w, "partialFingerprints");
	json_begin_object(c->w);
	json_member_string(c->w, "bpfcc/v1", text);
	json_end_object(c->w);
}

static void put_flow_location(struct sarif_ctx *c, const struct diag_loc *loc, const char *text,
                              const struct diag_step *step, int insn)
{
	struct json_writer *w = c->w;
	bool branch = step && (step->kind == DIAG_STEP_BRANCH_TAKEN ||
	                       step->kind == DIAG_STEP_BRANCH_NOT_TAKEN);

	json_begin_object(w);
	json_key(w, "location");
	json_begin_object(w);
	if (loc->file)
		put_physical(c, loc);
	put_text(w, "message", text);
	json_end_object(w);
	if (branch) {
		json_key(w, "kinds");
		json_begin_array(w);
		json_string(w, "branch");
		json_end_array(w);
	}
	if (insn >= 0 || branch) {
		json_key(w, "properties");
		json_begin_object(w);
		json_member_int_opt(w, "insn", insn);
		if (branch) {
			json_member_string(w, "branch",
			                   step->kind == DIAG_STEP_BRANCH_TAKEN ? "taken"
			                                                        : "not_taken");
			json_member_int_opt(w, "targetInsn", step->target);
		}
		json_end_object(w);
	}
	json_end_object(w);
}

static void put_code_flow(struct sarif_ctx *c, const struct diag *d)
{
	struct json_writer *w = c->w;

	json_key(w, "codeFlows");
	json_begin_array(w);
	json_begin_object(w);
	json_key(w, "threadFlows");
	json_begin_array(w);
	json_begin_object(w);
	json_key(w, "locations");
	json_begin_array(w);
	for (unsigned i = 0; i < d->path_len; i++)
		put_flow_location(c, &d->path[i].loc, d->path[i].text, &d->path[i],
		                  d->path[i].insn);
	put_flow_location(c, &d->loc, d->message, NULL, d->insn);
	json_end_array(w);
	json_end_object(w);
	json_end_array(w);
	json_end_object(w);
	json_end_array(w);
}

static void put_result(struct sarif_ctx *c, const struct diag *d)
{
	struct json_writer *w = c->w;

	json_begin_object(w);
	json_member_string(w, "ruleId", d->rule);
	json_member_int_opt(w, "ruleIndex", rule_index(&c->rules, d->rule));
	json_member_string(w, "level", diag_level_name(d->level));
	put_text(w, "message", d->message);
	if (d->loc.file || d->program) {
		json_key(w, "locations");
		json_begin_array(w);
		json_begin_object(w);
		if (d->loc.file)
			put_physical(c, &d->loc);
		if (d->program) {
			json_key(w, "logicalLocations");
			json_begin_array(w);
			json_begin_object(w);
			json_member_string(w, "name", d->program);
			json_member_string(w, "kind", "function");
			json_end_object(w);
			json_end_array(w);
		}
		json_end_object(w);
		json_end_array(w);
	}
	put_fingerprint(c, d);
	if (d->path_len)
		put_code_flow(c, d);
	if (d->kernel_msg || d->explanation || d->hint || d->category || d->section ||
	    d->insn >= 0) {
		json_key(w, "properties");
		json_begin_object(w);
		json_member_string_opt(w, "category", d->category);
		json_member_string_opt(w, "section", d->section);
		json_member_int_opt(w, "insn", d->insn);
		json_member_string_opt(w, "kernelMessage", d->kernel_msg);
		json_member_string_opt(w, "explanation", d->explanation);
		json_member_string_opt(w, "hint", d->hint);
		json_end_object(w);
	}
	json_end_object(w);
}

/* The run's invocation: the findings without a rule, as notifications. */
static void put_invocation(struct sarif_ctx *c)
{
	struct json_writer *w = c->w;
	const struct diag_sink *sink = c->sink;
	bool ok = true;

	json_key(w, "invocations");
	json_begin_array(w);
	json_begin_object(w);
	for (size_t i = 0; i < sink->nr_records; i++)
		if (!sink->records[i].d.rule && sink->records[i].d.level == DIAG_ERROR)
			ok = false;
	json_key(w, "executionSuccessful");
	json_bool(w, ok);
	json_key(w, "toolExecutionNotifications");
	json_begin_array(w);
	for (size_t i = 0; i < sink->nr_records; i++) {
		const struct diag *d = &sink->records[i].d;

		if (d->rule)
			continue;
		json_begin_object(w);
		json_member_string(w, "level", diag_level_name(d->level));
		put_text(w, "message", d->message);
		if (d->loc.file) {
			json_key(w, "locations");
			json_begin_array(w);
			json_begin_object(w);
			put_physical(c, &d->loc);
			json_end_object(w);
			json_end_array(w);
		}
		json_end_object(w);
	}
	json_end_array(w);
	json_end_object(w);
	json_end_array(w);
}

int diag_sarif_render(struct diag_sink *sink)
{
	struct json_writer w;
	struct sarif_ctx c = {.w = &w, .sink = sink, .root = sink->source_root};
	char cwd[PATH_MAX];
	int werr;

	if (!c.root && getcwd(cwd, sizeof(cwd)))
		c.root = cwd;
	c.err = collect_rules(sink, &c.rules);
	if (c.err)
		goto out;
	json_writer_init(&w, sink->out, true);
	json_begin_object(&w);
	json_member_string(&w, "$schema", SARIF_SCHEMA);
	json_member_string(&w, "version", "2.1.0");
	json_key(&w, "runs");
	json_begin_array(&w);
	json_begin_object(&w);

	json_key(&w, "tool");
	json_begin_object(&w);
	json_key(&w, "driver");
	json_begin_object(&w);
	json_member_string(&w, "name", "bpfcc");
	json_member_string(&w, "version", BPFCC_VERSION);
	json_member_string(&w, "semanticVersion", BPFCC_VERSION);
	json_key(&w, "rules");
	json_begin_array(&w);
	for (size_t j = 0; j < c.rules.n && !c.err; j++)
		put_rule(&c, c.rules.ids[j], c.rules.firsts[j]);
	json_end_array(&w);
	json_end_object(&w);
	json_end_object(&w);

	put_invocation(&c);

	json_key(&w, "results");
	json_begin_array(&w);
	for (size_t i = 0; i < sink->nr_records && !c.err; i++)
		if (sink->records[i].d.rule)
			put_result(&c, &sink->records[i].d);
	json_end_array(&w);

	json_end_object(&w);
	json_end_array(&w);
	json_end_object(&w);
	werr = json_writer_finish(&w);
	if (!c.err)
		c.err = werr;
out:
	free(c.rules.ids);
	free(c.rules.firsts);
	free(c.prints);
	return c.err;
}
