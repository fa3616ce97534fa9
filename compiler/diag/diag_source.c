/*
 * diag_source.c - source lines for the text renderer's "source line and caret" display.
 *
 * A build reports many findings against few files, so each file is read once, whole,
 * and an index of line starts is built on first use.  A file that cannot be read (gone,
 * unreadable, larger than DIAG_SOURCE_MAX) is remembered as missing and its findings are
 * shown without the source line, as gcc does for a file it cannot open.
 */
#include "diag/diag_int.h"

#include <stdlib.h>
#include <string.h>

#define DIAG_SOURCE_MAX (64u << 20)

struct diag_source_file {
	struct diag_source_file *next;
	char *name;
	char *data; /* NULL: missing */
	size_t size;
	size_t *starts; /* offset of each line's first byte */
	size_t nr_lines;
};

struct diag_source_cache {
	struct diag_source_file *files;
};

struct diag_source_cache *diag_source_cache_new(void)
{
	return calloc(1, sizeof(struct diag_source_cache));
}

void diag_source_cache_free(struct diag_source_cache *cache)
{
	struct diag_source_file *f, *next;

	if (!cache)
		return;
	for (f = cache->files; f; f = next) {
		next = f->next;
		free(f->name);
		free(f->data);
		free(f->starts);
		free(f);
	}
	free(cache);
}

/* Reads the whole file; NULL when it cannot be read or is too large. */
static char *read_whole(const char *name, size_t *size)
{
	FILE *fp = fopen(name, "rb");
	char *data = NULL, *grown;
	size_t len = 0, cap = 0, n;

	if (!fp)
		return NULL;
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 8192;
			if (cap > DIAG_SOURCE_MAX)
				goto fail;
			grown = realloc(data, cap);
			if (!grown)
				goto fail;
			data = grown;
		}
		n = fread(data + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp))
		goto fail;
	fclose(fp);
	*size = len;
	return data;
fail:
	free(data);
	fclose(fp);
	return NULL;
}

/* Builds the line index; false on allocation failure. */
static bool index_lines(struct diag_source_file *f)
{
	size_t n = 1;

	for (size_t i = 0; i < f->size; i++)
		if (f->data[i] == '\n' && i + 1 < f->size)
			n++;
	f->starts = malloc(n * sizeof(*f->starts));
	if (!f->starts)
		return false;
	f->starts[0] = 0;
	f->nr_lines = 1;
	for (size_t i = 0; i < f->size; i++)
		if (f->data[i] == '\n' && i + 1 < f->size)
			f->starts[f->nr_lines++] = i + 1;
	if (f->size == 0)
		f->nr_lines = 0;
	return true;
}

static struct diag_source_file *load(struct diag_source_cache *cache, const char *name)
{
	struct diag_source_file *f;

	for (f = cache->files; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->name = strdup(name);
	if (!f->name) {
		free(f);
		return NULL;
	}
	f->data = read_whole(name, &f->size);
	if (f->data && !index_lines(f)) {
		free(f->data);
		f->data = NULL;
	}
	f->next = cache->files;
	cache->files = f;
	return f;
}

const char *diag_source_line(struct diag_source_cache *cache, const char *file, unsigned line,
                             size_t *len)
{
	struct diag_source_file *f;
	size_t start, end;

	if (!cache || !file || line == 0)
		return NULL;
	f = load(cache, file);
	if (!f || !f->data || line > f->nr_lines)
		return NULL;
	start = f->starts[line - 1];
	end = start;
	while (end < f->size && f->data[end] != '\n')
		end++;
	if (end > start && f->data[end - 1] == '\r')
		end--;
	*len = end - start;
	return f->data + start;
}
