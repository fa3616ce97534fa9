/*
 * output.h - atomic output files (private to the driver).
 */
#ifndef BPFCC_DRIVER_OUTPUT_H
#define BPFCC_DRIVER_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"

struct out_file {
	const char *path; /* destination, "-" for standard output */
	char tmp[4096];	  /* temporary file next to it, "" when none */
	int fd;
	bool to_stdout;
};

/* Creates the temporary file for path now; reports and returns -errno if it cannot. */
int out_begin(struct out_file *f, const char *path, struct diag_sink *sink);
/* Writes data to the temporary file and renames it over the destination. */
int out_commit(struct out_file *f, const void *data, size_t len, struct diag_sink *sink);
/* Renames the temporary file (written by someone else, e.g. clang) over the destination. */
int out_commit_file(struct out_file *f, struct diag_sink *sink);
/* Removes the temporary file; the destination keeps its old bytes.  Idempotent. */
void out_abort(struct out_file *f);
/* Removes every temporary file still pending (async-signal-safe; for fatal exits). */
void out_remove_pending(void);

#endif
