/*
 * json_writer.c - streaming JSON output for the JSON and SARIF diagnostic renderers.
 *
 * The writer keeps one counter per nesting level so it knows whether a comma is due and
 * whether a container closes empty ("[]") or after members.  Misuse (a value in an object
 * without a key, unbalanced ends, too deep nesting) is recorded as a sticky error that
 * json_writer_finish() returns, so a renderer checks once at the end.
 *
 * Strings follow RFC 8259: '"' and '\\' escaped, control characters as \b \f \n \r \t or
 * \u00XX, everything else raw.  Input is validated as UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF); each maximal ill-formed subsequence becomes one
 * "\ufffd", the practice the Unicode standard recommends and browsers follow.
 */
#include "diag/json_writer.h"

#include <errno.h>
#include <string.h>

void json_writer_init(struct json_writer *w, FILE *out, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
}

static void json_fail(struct json_writer *w, int err)
{
	if (!w->err)
		w->err = err;
}

static void json_indent(struct json_writer *w)
{
	fputc('\n', w->out);
	for (unsigned i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/* Puts what must precede a value or a key: a comma, a newline and indentation. */
static void json_before_item(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0) {
		if (w->count[0]++)
			json_fail(w, -EINVAL); /* a second top-level value */
		return;
	}
	if (w->count[w->depth]++)
		fputc(',', w->out);
	if (w->pretty)
		json_indent(w);
}

static void json_begin(struct json_writer *w, char open)
{
	json_before_item(w);
	fputc(open, w->out);
	if (w->depth + 1 >= JSON_MAX_DEPTH) {
		json_fail(w, -E2BIG);
		return;
	}
	w->depth++;
	w->count[w->depth] = 0;
}

static void json_end(struct json_writer *w, char close)
{
	if (w->depth == 0 || w->after_key) {
		json_fail(w, -EINVAL);
		return;
	}
	bool members = w->count[w->depth] != 0;
	w->depth--;
	if (w->pretty && members)
		json_indent(w);
	fputc(close, w->out);
}

void json_begin_object(struct json_writer *w)
{
	json_begin(w, '{');
}

void json_end_object(struct json_writer *w)
{
	json_end(w, '}');
}

void json_begin_array(struct json_writer *w)
{
	json_begin(w, '[');
}

void json_end_array(struct json_writer *w)
{
	json_end(w, ']');
}

void json_key(struct json_writer *w, const char *key)
{
	if (w->after_key || w->depth == 0) {
		json_fail(w, -EINVAL);
		return;
	}
	json_before_item(w);
	fputc('"', w->out);
	json_write_escaped(w->out, key, strlen(key));
	fputs(w->pretty ? "\": " : "\":", w->out);
	w->after_key = true;
}

/* Length of the well-formed UTF-8 sequence at s[0..len), or 0 when it is ill-formed;
 * *bad is then how many bytes form the maximal ill-formed subsequence (at least 1). */
static size_t utf8_sequence(const unsigned char *s, size_t len, size_t *bad)
{
	unsigned char c = s[0];
	size_t need;
	unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */

	*bad = 1;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	for (size_t i = 1; i < need; i++) {
		unsigned char b = i < len ? s[i] : 0;
		bool ok = i == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xbf);
		if (i >= len || !ok) {
			*bad = i;
			return 0;
		}
	}
	return need;
}

void json_write_escaped(FILE *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t bad, n;

		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (c < 0x20) {
				fprintf(out, "\\u%04x", c);
				break;
			}
			n = utf8_sequence(s + i, len - i, &bad);
			if (!n) {
				fputs("\\ufffd", out);
				i += bad;
				continue;
			}
			fwrite(s + i, 1, n, out);
			i += n;
			continue;
		}
		i++;
	}
}

void json_string_len(struct json_writer *w, const char *s, size_t len)
{
	json_before_item(w);
	fputc('"', w->out);
	json_write_escaped(w->out, s, len);
	fputc('"', w->out);
}

void json_string(struct json_writer *w, const char *s)
{
	json_string_len(w, s ? s : "", s ? strlen(s) : 0);
}

void json_uint(struct json_writer *w, unsigned long long v)
{
	json_before_item(w);
	fprintf(w->out, "%llu", v);
}

void json_int(struct json_writer *w, long long v)
{
	json_before_item(w);
	fprintf(w->out, "%lld", v);
}

void json_bool(struct json_writer *w, bool v)
{
	json_before_item(w);
	fputs(v ? "true" : "false", w->out);
}

void json_member_string(struct json_writer *w, const char *key, const char *s)
{
	json_key(w, key);
	json_string(w, s);
}

void json_member_string_opt(struct json_writer *w, const char *key, const char *s)
{
	if (s)
		json_member_string(w, key, s);
}

void json_member_uint_opt(struct json_writer *w, const char *key, unsigned long long v)
{
	if (v) {
		json_key(w, key);
		json_uint(w, v);
	}
}

void json_member_int_opt(struct json_writer *w, const char *key, long long v)
{
	if (v >= 0) {
		json_key(w, key);
		json_int(w, v);
	}
}

int json_writer_finish(struct json_writer *w)
{
	if (w->depth != 0 || w->after_key)
		json_fail(w, -EINVAL);
	fputc('\n', w->out);
	if (fflush(w->out) != 0 || ferror(w->out))
		json_fail(w, -EIO);
	return w->err;
}
