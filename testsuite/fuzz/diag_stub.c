/*
 * diag_stub.c - a counting diagnostics sink for the fuzzer build (run.sh), so that the
 * fuzzer exercises the object reader alone and does not depend on the renderers'
 * state of the day.  Every message is still formatted (vsnprintf) so that a bad
 * argument shows up under the sanitizers, and every string of a struct diag is read.
 * Implements the part of diag/diag.h the reader, check and link stages use.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag/diag.h"

struct diag_sink {
	unsigned errors, warnings;
};

struct diag_sink *diag_sink_new(FILE *out, enum diag_format format)
{
	(void)out;
	(void)format;
	return calloc(1, sizeof(struct diag_sink));
}

void diag_sink_free(struct diag_sink *sink)
{
	free(sink);
}

void diag_vreport(struct diag_sink *sink, enum diag_level level, const char *rule,
                  const struct diag_loc *loc, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (loc && loc->file)
		snprintf(buf, sizeof(buf), "%s %s", loc->file, rule ? rule : "");
	if (level == DIAG_ERROR)
		sink->errors++;
	else if (level == DIAG_WARNING)
		sink->warnings++;
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

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s && s[n])
		n++;
	return n;
}

int diag_emit(struct diag_sink *sink, const struct diag *d)
{
	volatile size_t n = str_len(d->rule) + str_len(d->message) + str_len(d->kernel_msg) +
	                    str_len(d->explanation) + str_len(d->hint) + str_len(d->program) +
	                    str_len(d->section) + str_len(d->loc.file);

	(void)n;
	if (d->level == DIAG_ERROR)
		sink->errors++;
	else if (d->level == DIAG_WARNING)
		sink->warnings++;
	return 0;
}

unsigned diag_error_count(const struct diag_sink *sink)
{
	return sink->errors;
}

unsigned diag_warning_count(const struct diag_sink *sink)
{
	return sink->warnings;
}
