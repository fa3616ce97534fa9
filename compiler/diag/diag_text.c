/*
 * diag_text.c - gcc/clang-style text rendering of one finding, its parts in the order of
 * the kernel verifier's reports ("Verification failed: <category>: <problem>", then
 * reason, source context, causal path and suggestion):
 *
 *   prog.bpf.c:12:9: error: Memory Safety: invalid access to map value, value_size=8
 *   off=8 size=4 [verifier-map-value-bounds]
 *     reason: <explanation, further lines indented>
 *     note: kernel verifier says: invalid access to map value, value_size=8 off=8 size=4
 *     at: program 'xdp_prog' (section 'xdp'), instruction 14
 *           x = v[i];
 *               ^
 *     causal path:
 *   prog.bpf.c:10:6: note: branch taken at insn 9: goes to insn 12
 *     suggestion: <hint>
 *
 * The first line is what editors and CI log parsers already understand; for the
 * verifier's findings it carries the category before the message as the kernel's header
 * does (other stages' findings keep gcc's plain message: their category is in JSON and
 * SARIF).  The rule id follows the message in
 * brackets, as clang shows its warning flags: a warning shows the flag that controls it
 * ("[-W<rule>]"), a warning made an error by -Werror or -Werror=<rule> shows
 * "[-Werror,-W<rule>]", an error or a note shows its bare rule id ("[<rule>]"), which is
 * also what the JSON and SARIF renderers carry.  Without a file: "<tool>: error: ...";
 * a file without a line: "<file>: error: ...".  Steps of the path with a source location
 * are "file:line:col: note:" lines of their own, so editors can jump to them.
 *
 * Source line and caret: the line as it is in the file, then a caret under column `col`
 * (1-based, in bytes, as DWARF and clang count).  Tabs before the column are repeated in
 * the caret line and UTF-8 continuation bytes are skipped, so the caret lines up in a
 * terminal.  With col == 0 the line is shown without a caret.
 *
 * Names and messages may come from untrusted objects (section, program and file names in
 * an ELF file), so control characters other than tab and newline are shown as "\xNN"
 * and never reach the terminal as escape sequences; the source line gets the same
 * treatment, with the caret moved to match.
 *
 * Colours, when enabled, are gcc's: bold location, bold red "error:", bold magenta
 * "warning:", bold cyan "note:", bold green caret; section labels bold.
 */
#include "diag/diag_int.h"

#include <string.h>

#define SGR_BOLD    "\033[1m"
#define SGR_RED     "\033[1;31m"
#define SGR_MAGENTA "\033[1;35m"
#define SGR_CYAN    "\033[1;36m"
#define SGR_GREEN   "\033[1;32m"
#define SGR_RESET   "\033[0m"

/* Writes `len` bytes with control characters other than tab shown as "\xNN". */
static void put_clean_len(FILE *out, const char *s, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			fwrite(s + start, 1, i - start, out);
			fprintf(out, "\\x%02x", c);
			start = i + 1;
		}
	}
	fwrite(s + start, 1, len - start, out);
}

static void put_clean(FILE *out, const char *s)
{
	put_clean_len(out, s, strlen(s));
}

static void put_colored(const struct diag_sink *sink, const char *sgr, const char *text)
{
	if (sink->color)
		fputs(sgr, sink->out);
	put_clean(sink->out, text);
	if (sink->color)
		fputs(SGR_RESET, sink->out);
}

static const char *level_color(enum diag_level level)
{
	switch (level) {
	case DIAG_NOTE:
		return SGR_CYAN;
	case DIAG_WARNING:
		return SGR_MAGENTA;
	case DIAG_ERROR:
		break;
	}
	return SGR_RED;
}

/* "file:line:col:", "file:line:", "file:" or "<tool>:", bold. */
static void put_location(const struct diag_sink *sink, const struct diag_loc *loc)
{
	FILE *out = sink->out;

	if (sink->color)
		fputs(SGR_BOLD, out);
	put_clean(out, loc->file ? loc->file : sink->tool);
	if (loc->file && loc->line)
		fprintf(out, ":%u", loc->line);
	if (loc->file && loc->line && loc->col)
		fprintf(out, ":%u", loc->col);
	fputc(':', out);
	if (sink->color)
		fputs(SGR_RESET, out);
}

static void put_level(const struct diag_sink *sink, enum diag_level level)
{
	fputc(' ', sink->out);
	if (sink->color)
		fputs(level_color(level), sink->out);
	fprintf(sink->out, "%s:", diag_level_name(level));
	if (sink->color)
		fputs(SGR_RESET, sink->out);
	fputc(' ', sink->out);
}

/* Writes `text`; lines after the first start with `indent`.  Ends with a newline. */
static void put_indented(FILE *out, const char *text, const char *indent)
{
	const char *nl;

	if (!*text) {
		fputc('\n', out);
		return;
	}
	while ((nl = strchr(text, '\n')) != NULL) {
		put_clean_len(out, text, (size_t)(nl - text));
		fputc('\n', out);
		text = nl + 1;
		if (*text)
			fputs(indent, out);
	}
	if (*text) {
		put_clean(out, text);
		fputc('\n', out);
	}
}

static void put_rule(const struct diag_sink *sink, const struct diag_record *r)
{
	const struct diag *d = &r->d;
	char flag[16];

	if (!d->rule)
		return;
	if (r->origin == DIAG_ORIGIN_PROMOTED)
		strcpy(flag, "-Werror,-W");
	else if (d->level == DIAG_WARNING)
		strcpy(flag, "-W");
	else
		flag[0] = '\0';
	fputs(" [", sink->out);
	if (sink->color)
		fputs(level_color(d->level), sink->out);
	fputs(flag, sink->out);
	put_clean(sink->out, d->rule);
	if (sink->color)
		fputs(SGR_RESET, sink->out);
	fputc(']', sink->out);
}

static void put_source(struct diag_sink *sink, const struct diag_loc *loc)
{
	const char *line;
	size_t len, col;
	FILE *out = sink->out;

	if (!loc->file || loc->line == 0)
		return;
	if (!sink->sources) {
		sink->sources = diag_source_cache_new();
		if (!sink->sources)
			return;
	}
	line = diag_source_line(sink->sources, loc->file, loc->line, &len);
	if (!line)
		return;
	put_clean_len(out, line, len);
	fputc('\n', out);
	if (loc->col == 0)
		return;
	col = loc->col - 1;
	if (col > len)
		col = len;
	for (size_t i = 0; i < col; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == '\t')
			fputc('\t', out);
		else if (c < 0x20 || c == 0x7f)
			fputs("    ", out); /* shown as \xNN */
		else if ((c & 0xc0) != 0x80)
			fputc(' ', out);
	}
	put_colored(sink, SGR_GREEN, "^");
	fputc('\n', out);
}

/* "  at: program 'p' (section 's'), instruction N" when any of them is known. */
static void put_program(const struct diag_sink *sink, const struct diag *d)
{
	FILE *out = sink->out;

	if (!d->program && !d->section && d->insn < 0)
		return;
	fputs("  ", out);
	put_colored(sink, SGR_CYAN, "at:");
	if (d->program) {
		fputs(" program '", out);
		put_clean(out, d->program);
		fputc('\'', out);
	}
	if (d->section) {
		fputs(d->program ? " (section '" : " section '", out);
		put_clean(out, d->section);
		fputs(d->program ? "')" : "'", out);
	}
	if (d->insn >= 0)
		fprintf(out, d->program || d->section ? ", instruction %d" : " instruction %d",
		        d->insn);
	fputc('\n', out);
}

static void put_step(const struct diag_sink *sink, const struct diag_step *s)
{
	FILE *out = sink->out;
	const char *text = s->text ? s->text : "";

	if (s->loc.file) {
		put_location(sink, &s->loc);
		put_level(sink, DIAG_NOTE);
		put_indented(out, text, "  ");
		return;
	}
	fputs("  ", out);
	put_colored(sink, SGR_CYAN, "note:");
	fputc(' ', out);
	if (s->insn >= 0)
		fprintf(out, "instruction %d: ", s->insn);
	put_indented(out, text, "    ");
}

/* "  <label>: <text>", the text's further lines indented under it. */
static void put_section(const struct diag_sink *sink, const char *label, const char *text)
{
	fputs("  ", sink->out);
	put_colored(sink, SGR_BOLD, label);
	fputc(' ', sink->out);
	put_indented(sink->out, text, "    ");
}

void diag_text_render(struct diag_sink *sink, const struct diag_record *r)
{
	const struct diag *d = &r->d;
	FILE *out = sink->out;

	/* The kernel's "Verification failed: <category>: <problem>" as gcc's first line, for
	 * the verifier's findings (other stages' categories are in JSON and SARIF). */
	put_location(sink, &d->loc);
	put_level(sink, d->level);
	if (d->category && d->rule && !strncmp(d->rule, "verifier-", 9)) {
		put_clean(out, d->category);
		fputs(": ", out);
	}
	put_clean(out, d->message);
	put_rule(sink, r);
	fputc('\n', out);
	/* Reason: why the kernel refuses it, and the kernel's own words. */
	if (d->explanation)
		put_section(sink, "reason:", d->explanation);
	if (d->kernel_msg) {
		fputs("  ", out);
		put_colored(sink, SGR_CYAN, "note:");
		fputs(" kernel verifier says: ", out);
		put_indented(out, d->kernel_msg, "    ");
	}
	/* At: program, instruction and the source line with a caret. */
	put_program(sink, d);
	put_source(sink, &d->loc);
	/* Causal path: the branch decisions that led there. */
	if (d->path_len) {
		fputs("  ", out);
		put_colored(sink, SGR_BOLD, "causal path:");
		fputc('\n', out);
	}
	for (unsigned i = 0; i < d->path_len; i++)
		put_step(sink, &d->path[i]);
	/* Suggestion: what to do about it. */
	if (d->hint)
		put_section(sink, "suggestion:", d->hint);
}
