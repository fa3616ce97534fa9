/*
 * json_writer.h - a small streaming JSON writer, private to the diagnostics sink.
 *
 * The JSON and SARIF renderers build their documents with it: begin/end an object or an
 * array, write a key, write a value.  Commas, and for pretty output newlines and
 * indentation, are placed by the writer.  Strings are escaped as RFC 8259 requires;
 * bytes that are not valid UTF-8 become U+FFFD ("\ufffd"), one per maximal ill-formed
 * subsequence, as Unicode recommends.  No allocation: nesting depth is bounded.
 */
#ifndef BPFCC_DIAG_JSON_WRITER_H
#define BPFCC_DIAG_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json_writer {
	FILE *out;
	bool pretty;
	bool after_key; /* a key was written, its value comes next */
	int err;        /* first error (negative errno), sticky */
	unsigned depth;
	unsigned count[JSON_MAX_DEPTH]; /* members written so far at each depth */
};

/* Starts a document on `out`; `pretty`: two-space indentation and one member a line. */
void json_writer_init(struct json_writer *w, FILE *out, bool pretty);
/* Ends the document (newline after it).  0, or the first error: -EINVAL unbalanced
 * nesting, -E2BIG nesting deeper than JSON_MAX_DEPTH, -EIO write error. */
int json_writer_finish(struct json_writer *w);

void json_begin_object(struct json_writer *w);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w);
void json_end_array(struct json_writer *w);
/* The key of the next object member. */
void json_key(struct json_writer *w, const char *key);

void json_string(struct json_writer *w, const char *s);
/* A string of `len` bytes (may hold NUL, written as \u0000). */
void json_string_len(struct json_writer *w, const char *s, size_t len);
void json_uint(struct json_writer *w, unsigned long long v);
void json_int(struct json_writer *w, long long v);
void json_bool(struct json_writer *w, bool v);

/* Key and value in one call; the _opt forms write nothing when the value is absent
 * (NULL string, zero unsigned, negative int). */
void json_member_string(struct json_writer *w, const char *key, const char *s);
void json_member_string_opt(struct json_writer *w, const char *key, const char *s);
void json_member_uint_opt(struct json_writer *w, const char *key, unsigned long long v);
void json_member_int_opt(struct json_writer *w, const char *key, long long v);

/* Writes `len` bytes of `s` as the inside of a JSON string (no quotes) to `out`. */
void json_write_escaped(FILE *out, const char *s, size_t len);

#endif
