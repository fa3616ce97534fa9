/*
 * sink_capture.c - see sink_capture.h.
 */
#include "sink_capture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

void sink_capture_begin(struct sink_capture *c)
{
	memset(c, 0, sizeof(*c));
	c->fp = open_memstream(&c->buf, &c->len);
	ck_assert_ptr_nonnull(c->fp);
	c->sink = diag_sink_new(c->fp, DIAG_FORMAT_TEXT);
	ck_assert_ptr_nonnull(c->sink);
}

void sink_capture_end(struct sink_capture *c)
{
	c->errors = diag_error_count(c->sink);
	c->warnings = diag_warning_count(c->sink);
	diag_sink_free(c->sink);
	c->sink = NULL;
	ck_assert_int_eq(fclose(c->fp), 0);
	c->fp = NULL;
	c->text = c->buf ? c->buf : "";
}

void sink_capture_free(struct sink_capture *c)
{
	free(c->buf);
	memset(c, 0, sizeof(*c));
}
