/*
 * diag.h - the one sink every finding of bpfcc goes through.
 *
 * A stage never prints.  It fills a `struct diag` (what is wrong, where, which rule,
 * and for verifier findings the kernel's own message text and the failing path) and
 * hands it to diag_emit().  The sink counts errors and warnings, applies -Werror and
 * -Wno-<rule>, and renders: text (gcc style: "file:line:col: error: msg", the source
 * line and a caret, then the detail) immediately; JSON and SARIF 2.1.0 as one document
 * when the sink is finished.
 *
 * Ownership: diag_emit() copies everything it keeps; callers keep their strings.
 */
#ifndef BPFCC_DIAG_H
#define BPFCC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

enum diag_level {
	DIAG_NOTE,
	DIAG_WARNING,
	DIAG_ERROR,
};

enum diag_format {
	DIAG_FORMAT_TEXT,
	DIAG_FORMAT_JSON,
	DIAG_FORMAT_SARIF,
};

/*
 * The kernel verifier's categories of findings (diag_category.def), in its order; every
 * finding of a rule has one.  DIAG_CAT_NONE: tool errors without a rule.
 */
enum diag_category {
	DIAG_CAT_NONE,
#define DIAG_CATEGORY(e, name, summary) DIAG_CAT_##e,
#include "diag/diag_category.def"
#undef DIAG_CATEGORY
	DIAG_CAT_COUNT
};

/* "Memory Safety" ...; NULL for DIAG_CAT_NONE and out of range. */
const char *diag_category_name(enum diag_category cat);
/* One line on what belongs to the category; NULL like diag_category_name(). */
const char *diag_category_summary(enum diag_category cat);
/* The category with this name (as diag_category_name() spells it), DIAG_CAT_NONE if none. */
enum diag_category diag_category_lookup(const char *name);
/* The category of a rule of the stages before the verifier (rule_category.def: check-*,
 * elf-*, link-*, ir-*); DIAG_CAT_NONE for a rule it does not list. */
enum diag_category diag_rule_category(const char *rule);

/* A place in a source file.  line == 0: no location known; col == 0: whole line. */
struct diag_loc {
	const char *file;
	unsigned line;
	unsigned col;
};

/* What a step of the path is; DIAG_STEP_NOTE (0): only its text says. */
enum diag_step_kind {
	DIAG_STEP_NOTE,
	DIAG_STEP_BRANCH_TAKEN,     /* a conditional jump the path takes */
	DIAG_STEP_BRANCH_NOT_TAKEN, /* a conditional jump the path falls through */
};

/* One step of the path that led to a finding (a branch taken, a call made). */
struct diag_step {
	struct diag_loc loc;
	int insn;         /* instruction index, -1 if none */
	const char *text; /* e.g. "branch taken: r1 > 16" */
	enum diag_step_kind kind;
	int target; /* branch steps: the instruction the path goes on at */
};

struct diag {
	enum diag_level level;
	const char *rule; /* stable id, "<stage>-<what>" e.g. "ir-float"; NULL: tool error */
	/* The kernel's grouping, diag_category_name() of enum diag_category ("Memory Safety");
	 * NULL: the sink fills it in from diag_rule_category(rule). */
	const char *category;
	struct diag_loc loc;
	const char *program;    /* program (function) name, or NULL */
	const char *section;    /* ELF section of the program, or NULL */
	int insn;               /* instruction index, -1 if none */
	const char *message;    /* bpfcc's one-line message */
	const char *kernel_msg; /* the kernel verifier's message text, verbatim, or NULL */
	const char *explanation;
	const char *hint;
	const struct diag_step *path;
	unsigned path_len;
};

struct diag_sink;

/* New sink writing to `out` (not closed by the sink).  NULL on allocation failure. */
struct diag_sink *diag_sink_new(FILE *out, enum diag_format format);
/* Renders what is pending (JSON/SARIF) and frees the sink; NULL is allowed. */
void diag_sink_free(struct diag_sink *sink);
/* Writes the JSON or SARIF document now (no-op for text); idempotent. */
int diag_sink_flush(struct diag_sink *sink);

void diag_sink_set_color(struct diag_sink *sink, bool color);
/* Name of the tool for tool-level messages ("bpfcc: error: ..."). */
void diag_sink_set_tool(struct diag_sink *sink, const char *name);
/* SARIF: the directory file names are made relative to (uriBaseId %SRCROOT%, the checkout
 * for code scanning); copied.  Default (NULL): the current directory when the document is
 * written.  0, -EINVAL (not an absolute path) or -ENOMEM. */
int diag_sink_set_source_root(struct diag_sink *sink, const char *dir);
/* -Werror: every warning becomes an error. */
void diag_sink_set_werror(struct diag_sink *sink, bool werror);
/* -w: drop warnings. */
void diag_sink_set_no_warnings(struct diag_sink *sink, bool off);
/*
 * --verify=warn: while on, a finding of level DIAG_ERROR that has a rule is reported as a
 * warning, and then -Werror, -Werror=<rule>, -Wno-<rule> and -w treat it as any warning
 * (-Werror makes it an error again).  Errors without a rule (tool errors) stay errors.
 * Off (the default), errors are never lowered or suppressed.
 */
void diag_sink_set_errors_as_warnings(struct diag_sink *sink, bool on);
/* -Werror=<rule> (level DIAG_ERROR) / -Wno-<rule> (level DIAG_NOTE: suppressed). */
int diag_sink_set_rule_level(struct diag_sink *sink, const char *rule, enum diag_level level,
                             bool suppress);

/* Reports one finding (copied).  Returns 0 or -ENOMEM. */
int diag_emit(struct diag_sink *sink, const struct diag *d);

/* Shorthands: a finding with only a rule, a location and a printf message. */
void diag_errorf(struct diag_sink *sink, const char *rule, const struct diag_loc *loc,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_warnf(struct diag_sink *sink, const char *rule, const struct diag_loc *loc,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_notef(struct diag_sink *sink, const struct diag_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_vreport(struct diag_sink *sink, enum diag_level level, const char *rule,
                  const struct diag_loc *loc, const char *fmt, va_list ap);

unsigned diag_error_count(const struct diag_sink *sink);
unsigned diag_warning_count(const struct diag_sink *sink);

/* Describes `rule` for the SARIF rules table: `summary` (one line) and `help` (how to fix
 * it), both copied; `help` may be NULL.  Without it, the first finding of the rule stands in
 * (its explanation or message, and its hint).  0, -EINVAL or -ENOMEM. */
int diag_sink_describe_rule(struct diag_sink *sink, const char *rule, const char *summary,
                            const char *help);

#endif
