/*
 * diag_sarif.c - the SARIF 2.1.0 rendering, for code-scanning services and IDEs.
 *
 * One log with one run.  tool.driver names bpfcc and its version and lists every rule
 * that has a finding, in order of first appearance, with a shortDescription and a help
 * text (from diag_sink_describe_rule(), else from the rule's first finding: its
 * explanation or message, and its hint).  Each finding is a result: ruleId and ruleIndex
 * (none for tool errors, which have no rule), level, message.text, a location with the
 * file as a URI reference (relative paths percent-encoded as they are, absolute ones as
 * file:// URIs) and a region (startLine, startColumn) when known, the program as a
 * logical location, and the failing path as a codeFlow with one threadFlow, a step per
 * thread-flow location.  What SARIF has no member for (kernel message, explanation,
 * hint, category, section, instruction index) goes into the result's property bag.
 *
 * Output is pretty-printed, as SARIF files usually are, and validates against the SARIF
 * 2.1.0 JSON schema (testsuite/unit/diag checks this when the schema is installed).
 */
#include "diag/diag_int.h"
#include "diag/json_writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef BPFCC_VERSION
#define BPFCC_VERSION "0.0.0"
#endif

#define SARIF_SCHEMA                                                                               \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"                      \
	"sarif-schema-2.1.0.json"

/* Rules in order of first appearance, each with the record that introduced it. */
struct sarif_rules {
	const char **ids;
	const struct diag *first;
	const struct diag **firsts;
	size_t n;
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

/* RFC 3986 characters that a path segment may hold as they are (':' excepted: in a
 * relative reference's first segment it would read as a scheme). */
static bool uri_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("-._~!$&'()*+,;=@/", c) != NULL;
}

/* The file name as a URI reference, in `buf` (malloc'd, caller frees); NULL on ENOMEM. */
static char *file_uri(const char *file)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(file);
	char *buf = malloc(3 * len + sizeof("file://"));
	char *p = buf;

	if (!buf)
		return NULL;
	if (file[0] == '/')
		p = stpcpy(p, "file://");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)file[i];

		if (c && uri_plain(c)) {
			*p++ = (char)c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return buf;
}

static void put_text(struct json_writer *w, const char *key, const char *text)
{
	json_key(w, key);
	json_begin_object(w);
	json_member_string(w, "text", text);
	json_end_object(w);
}

static int put_physical(struct json_writer *w, const struct diag_loc *loc)
{
	char *uri = file_uri(loc->file);

	if (!uri)
		return -ENOMEM;
	json_key(w, "physicalLocation");
	json_begin_object(w);
	json_key(w, "artifactLocation");
	json_begin_object(w);
	json_member_string(w, "uri", uri);
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
	return 0;
}

static void put_rule(struct json_writer *w, const struct diag_sink *sink, const char *id,
                     const struct diag *first)
{
	const struct diag_rule_desc *desc = diag_sink_find_desc(sink, id);
	const char *summary, *help;

	if (desc) {
		summary = desc->summary;
		help = desc->help ? desc->help : desc->summary;
	} else {
		summary = first->explanation ? first->explanation : first->message;
		help = first->hint ? first->hint : summary;
	}
	json_begin_object(w);
	json_member_string(w, "id", id);
	put_text(w, "shortDescription", summary);
	put_text(w, "help", help);
	json_end_object(w);
}

static int put_code_flow(struct json_writer *w, const struct diag *d)
{
	int err = 0;

	json_key(w, "codeFlows");
	json_begin_array(w);
	json_begin_object(w);
	json_key(w, "threadFlows");
	json_begin_array(w);
	json_begin_object(w);
	json_key(w, "locations");
	json_begin_array(w);
	for (unsigned i = 0; i < d->path_len; i++) {
		const struct diag_step *s = &d->path[i];

		json_begin_object(w);
		json_key(w, "location");
		json_begin_object(w);
		if (s->loc.file && !err)
			err = put_physical(w, &s->loc);
		put_text(w, "message", s->text);
		json_end_object(w);
		if (s->insn >= 0) {
			json_key(w, "properties");
			json_begin_object(w);
			json_member_int_opt(w, "insn", s->insn);
			json_end_object(w);
		}
		json_end_object(w);
	}
	json_end_array(w);
	json_end_object(w);
	json_end_array(w);
	json_end_object(w);
	json_end_array(w);
	return err;
}

static int put_result(struct json_writer *w, const struct sarif_rules *rules, const struct diag *d)
{
	long idx = rule_index(rules, d->rule);
	int err = 0;

	json_begin_object(w);
	if (d->rule) {
		json_member_string(w, "ruleId", d->rule);
		json_member_int_opt(w, "ruleIndex", idx);
	}
	json_member_string(w, "level", diag_level_name(d->level));
	put_text(w, "message", d->message);
	if (d->loc.file || d->program) {
		json_key(w, "locations");
		json_begin_array(w);
		json_begin_object(w);
		if (d->loc.file)
			err = put_physical(w, &d->loc);
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
	if (d->path_len && !err)
		err = put_code_flow(w, d);
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
	return err;
}

int diag_sarif_render(struct diag_sink *sink)
{
	struct sarif_rules rules;
	struct json_writer w;
	int err, werr;

	err = collect_rules(sink, &rules);
	if (err)
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
	json_key(&w, "rules");
	json_begin_array(&w);
	for (size_t j = 0; j < rules.n; j++)
		put_rule(&w, sink, rules.ids[j], rules.firsts[j]);
	json_end_array(&w);
	json_end_object(&w);
	json_end_object(&w);

	json_key(&w, "results");
	json_begin_array(&w);
	for (size_t i = 0; i < sink->nr_records && !err; i++)
		err = put_result(&w, &rules, &sink->records[i].d);
	json_end_array(&w);

	json_end_object(&w);
	json_end_array(&w);
	json_end_object(&w);
	werr = json_writer_finish(&w);
	if (!err)
		err = werr;
out:
	free(rules.ids);
	free(rules.firsts);
	return err;
}
