/*
 * capture.c - memory-stream sinks and scratch source files for the diagnostics tests.
 */
#include "capture.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void capture_open(struct capture *c, enum diag_format format)
{
	memset(c, 0, sizeof(*c));
	c->fp = open_memstream(&c->buf, &c->len);
	ck_assert_ptr_nonnull(c->fp);
	c->sink = diag_sink_new(c->fp, format);
	ck_assert_ptr_nonnull(c->sink);
}

const char *capture_close(struct capture *c)
{
	diag_sink_free(c->sink);
	c->sink = NULL;
	ck_assert_int_eq(fclose(c->fp), 0);
	c->fp = NULL;
	return c->buf;
}

void capture_free(struct capture *c)
{
	if (c->sink)
		diag_sink_free(c->sink);
	if (c->fp)
		fclose(c->fp);
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

static char scratch_dir[64];
static char scratch_paths[4][128];

static void scratch_cleanup(void)
{
	for (int i = 0; i < 4; i++)
		if (scratch_paths[i][0])
			unlink(scratch_paths[i]);
	if (scratch_dir[0])
		rmdir(scratch_dir);
}

const char *scratch_file(int slot, const char *name, const char *content)
{
	FILE *fp;

	ck_assert(slot >= 0 && slot < 4);
	if (!scratch_dir[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(scratch_dir, sizeof(scratch_dir), "%s/bpfcc-diag-XXXXXX",
		         tmp && strlen(tmp) < 32 ? tmp : "/tmp");
		ck_assert_ptr_nonnull(mkdtemp(scratch_dir));
		atexit(scratch_cleanup);
	}
	if (scratch_paths[slot][0])
		unlink(scratch_paths[slot]);
	snprintf(scratch_paths[slot], sizeof(scratch_paths[slot]), "%s/%s", scratch_dir, name);
	fp = fopen(scratch_paths[slot], "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(content, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
	return scratch_paths[slot];
}
