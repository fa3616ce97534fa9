/*
 * capture.h - helpers for the diagnostics tests: a sink whose output lands in memory,
 * and scratch source files for the text renderer's source-line display.
 */
#ifndef BPFCC_TEST_DIAG_CAPTURE_H
#define BPFCC_TEST_DIAG_CAPTURE_H

#include <stddef.h>
#include <stdio.h>

#include "diag/diag.h"

struct capture {
	FILE *fp;
	char *buf;
	size_t len;
	struct diag_sink *sink;
};

/* Opens a memory stream and a sink of `format` on it (aborts the test on failure). */
void capture_open(struct capture *c, enum diag_format format);
/* Frees the sink (which renders JSON/SARIF), closes the stream; returns the text, owned
 * by `c` until capture_free(). */
const char *capture_close(struct capture *c);
void capture_free(struct capture *c);

/* Writes `content` to a new file in a scratch directory; returns its path (static buffer
 * per call slot 0..3).  The directory is removed at exit. */
const char *scratch_file(int slot, const char *name, const char *content);

#endif
