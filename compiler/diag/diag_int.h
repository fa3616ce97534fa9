/*
 * diag_int.h - the diagnostics sink's internal state, shared by its renderers.
 *
 * diag_sink.c owns the sink: options, per-rule levels, counts and, for the document
 * formats (JSON, SARIF), the list of findings kept until the document is written.
 * Each renderer is one file: text (diag_text.c, with the source-line cache in
 * diag_source.c), JSON (diag_json.c) and SARIF (diag_sarif.c).
 */
#ifndef BPFCC_DIAG_INT_H
#define BPFCC_DIAG_INT_H

#include <stddef.h>

#include "diag/diag.h"

/* How a finding's level came about, for the text renderer's "[-Werror,-W<rule>]". */
enum diag_origin {
	DIAG_ORIGIN_AS_EMITTED,
	DIAG_ORIGIN_PROMOTED, /* a warning made an error by -Werror or -Werror=<rule> */
	DIAG_ORIGIN_DEMOTED,  /* an error reported as a warning (--verify=warn) */
};

/* A finding as the sink keeps it: `d` and everything it points to owned by the sink,
 * `d.level` the level after -Werror and per-rule levels. */
struct diag_record {
	struct diag d;
	enum diag_origin origin;
};

/* -Werror=<rule>, -Wno-error=<rule>, -Wno-<rule>. */
struct diag_rule_level {
	char *rule;
	enum diag_level level;
	bool suppress;
};

/* What the SARIF rules table says about a rule. */
struct diag_rule_desc {
	char *rule;
	char *summary;
	char *help;
};

struct diag_source_cache;

struct diag_sink {
	FILE *out;
	enum diag_format format;
	bool color;
	bool werror;
	bool no_warnings;
	bool errors_as_warnings;
	bool flushed;
	char *tool;
	char *source_root; /* SARIF: URIs relative to it; NULL: the current directory */
	unsigned errors;
	unsigned warnings;

	struct diag_rule_level *levels;
	size_t nr_levels;
	struct diag_rule_desc *descs;
	size_t nr_descs;

	struct diag_record *records; /* JSON and SARIF only */
	size_t nr_records;
	size_t cap_records;

	struct diag_source_cache *sources; /* text only, created on first use */
};

/* Renders one finding as text now. */
void diag_text_render(struct diag_sink *sink, const struct diag_record *r);
/* Write the whole document of the kept findings; 0 or a negative errno. */
int diag_json_render(struct diag_sink *sink);
int diag_sarif_render(struct diag_sink *sink);

/* The description given with diag_sink_describe_rule(), or NULL. */
const struct diag_rule_desc *diag_sink_find_desc(const struct diag_sink *sink, const char *rule);
/* `file` as a SARIF artifact URI (diag_uri.c): a relative reference when it lies under
 * `root` (an absolute directory; NULL: unknown, relative names stay relative), *relative
 * then set; else an absolute file:// URI.  malloc'd, NULL on ENOMEM. */
char *diag_file_uri(const char *file, const char *root, bool *relative);
/* "error", "warning" or "note". */
const char *diag_level_name(enum diag_level level);

/* Source lines for the text renderer.  Files are read once, whole; a file that cannot
 * be read is remembered as missing. */
struct diag_source_cache *diag_source_cache_new(void);
void diag_source_cache_free(struct diag_source_cache *cache);
/* Line `line` (1-based) of `file` without its line ending: *len bytes at the returned
 * pointer, owned by the cache.  NULL when the file or the line does not exist. */
const char *diag_source_line(struct diag_source_cache *cache, const char *file, unsigned line,
                             size_t *len);

#endif
