/*
 * expectations.c - reads a program's expectations back from its BTF and matches them.
 *
 * headers/bpfcc/expect.h turns __success, __msg("...") and friends into BTF decl tags
 * "bpfcc:<what>" on the program's FUNC (component_idx -1); clang keeps them in source
 * order.  __msg text is literal except for {{...}} pieces, which are POSIX EREs, as in
 * the kernel selftests; several patterns are matched one after another through the
 * verifier log, again like the selftests.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "runner.h"

static int expect_add(struct runner_expect *e, char *ere, const char *shown)
{
	char **p = realloc(e->patterns, (e->npatterns + 1) * sizeof(*p));
	char **s;

	if (!p) {
		free(ere);
		return -ENOMEM;
	}
	e->patterns = p;
	s = realloc(e->shown, (e->npatterns + 1) * sizeof(*s));
	if (!s) {
		free(ere);
		return -ENOMEM;
	}
	e->shown = s;
	e->shown[e->npatterns] = strdup(shown);
	e->patterns[e->npatterns] = ere;
	e->npatterns++;
	return e->shown[e->npatterns - 1] ? 0 : -ENOMEM;
}

char *expect_msg_to_ere(const char *msg)
{
	size_t len = strlen(msg);
	char *out = malloc(2 * len + 1), *o = out;
	const char *p = msg;

	if (!out)
		return NULL;
	while (*p) {
		if (p[0] == '{' && p[1] == '{') {
			const char *end = strstr(p + 2, "}}");

			if (end) {
				o += sprintf(o, "(%.*s)", (int)(end - p - 2), p + 2);
				p = end + 2;
				continue;
			}
		}
		if (strchr(".[]{}()\\*+?|^$", *p))
			*o++ = '\\';
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

int expect_read(const struct btf *btf, const char *func, struct runner_expect *e)
{
	__u32 n = btf__type_cnt(btf);
	int err = 0;

	memset(e, 0, sizeof(*e));
	for (__u32 id = 1; id < n && !err; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id), *target;
		const char *tag, *fname;

		if (!t || !btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1)
			continue;
		target = btf__type_by_id(btf, t->type);
		if (!target || !btf_is_func(target))
			continue;
		fname = btf__name_by_offset(btf, target->name_off);
		tag = btf__name_by_offset(btf, t->name_off);
		if (!fname || !tag || strcmp(fname, func) != 0 || strncmp(tag, "bpfcc:", 6) != 0)
			continue;
		tag += 6;
		if (strcmp(tag, "success") == 0) {
			e->conflicting |= e->want == RUNNER_WANT_FAILURE;
			e->want = RUNNER_WANT_SUCCESS;
		} else if (strcmp(tag, "failure") == 0) {
			e->conflicting |= e->want == RUNNER_WANT_SUCCESS;
			e->want = RUNNER_WANT_FAILURE;
		} else if (strncmp(tag, "msg=", 4) == 0) {
			char *ere = expect_msg_to_ere(tag + 4);

			err = ere ? expect_add(e, ere, tag + 4) : -ENOMEM;
		} else if (strncmp(tag, "regex=", 6) == 0) {
			char *ere = strdup(tag + 6);

			err = ere ? expect_add(e, ere, tag + 6) : -ENOMEM;
		} else if (strncmp(tag, "at_line=", 8) == 0) {
			e->at_line = (unsigned)strtoul(tag + 8, NULL, 10);
		} else if (strncmp(tag, "xfail=", 6) == 0) {
			free(e->xfail);
			e->xfail = strdup(tag + 6);
			err = e->xfail ? 0 : -ENOMEM;
		} else {
			err = -EINVAL;
		}
	}
	return err;
}

void expect_free(struct runner_expect *e)
{
	for (size_t i = 0; i < e->npatterns; i++) {
		free(e->patterns[i]);
		free(e->shown[i]);
	}
	free(e->patterns);
	free(e->shown);
	free(e->xfail);
	memset(e, 0, sizeof(*e));
}

bool expect_match(const struct runner_expect *e, const char *text, bool ordered, char *why,
                  size_t why_size)
{
	const char *from = text ? text : "";

	for (size_t i = 0; i < e->npatterns; i++) {
		regmatch_t m;
		regex_t re;
		int rc = regcomp(&re, e->patterns[i], REG_EXTENDED | REG_NEWLINE);

		if (rc) {
			snprintf(why, why_size, "bad regular expression '%s'", e->shown[i]);
			return false;
		}
		rc = regexec(&re, from, 1, &m, 0);
		regfree(&re);
		if (rc) {
			snprintf(why, why_size, "no match for '%s'%s", e->shown[i],
			         ordered && i ? " (after the previous match)" : "");
			return false;
		}
		if (ordered)
			from += m.rm_eo;
	}
	return true;
}
