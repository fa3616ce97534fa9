/*
 * sink_capture.h - a text diagnostics sink on a memory stream, for the check tests: run a
 * check, then look at the counts and at the rendered text ("[rule]" ids, messages).
 */
#ifndef BPFCC_TEST_SINK_CAPTURE_H
#define BPFCC_TEST_SINK_CAPTURE_H

#include <stdio.h>

#include "diag/diag.h"

struct sink_capture {
	FILE *fp;
	char *buf;
	size_t len;
	struct diag_sink *sink;
	unsigned errors, warnings;
	const char *text; /* valid after sink_capture_end() */
};

/* Opens the stream and the sink (asserts on failure). */
void sink_capture_begin(struct sink_capture *c);
/* Records the counts, frees the sink, closes the stream; c->text is the output. */
void sink_capture_end(struct sink_capture *c);
/* Frees the text. */
void sink_capture_free(struct sink_capture *c);

#endif
