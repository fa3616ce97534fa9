/*
 * section.c - SEC() names to program types, as libbpf decides them.
 *
 * libbpf gives each program the program type and expected attach type of the first
 * section_defs[] entry matching its ELF section name; a name no entry matches leaves the
 * program without a type and the load fails ("missing BPF prog type, check ELF section
 * name").  The part after the '/' is only read later: for BTF-attached programs (fentry,
 * lsm, iter, tp_btf...) at load time, where a missing target fails the load unless the
 * application sets one with bpf_program__set_attach_target(); for kprobes, tracepoints,
 * uprobes and USDTs at auto-attach time, where a bare SEC("kprobe") is simply not
 * auto-attached and a malformed target fails the skeleton's attach.
 *
 * A leading '?' (SEC("?xdp")) only turns off the program's autoload: libbpf forgets it
 * before matching (bpf_object_init_prog()), and so does check_section_base().
 *
 * check_section_name() reports the first kind as errors, the bare forms as warnings,
 * malformed targets as errors, and suggests the closest known name (optimal string
 * alignment distance, so a swapped pair of letters costs 1: "xpd" -> "xdp").
 */
#include "check/check.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* First kernel versions by enum name, for the table below. */
enum {
#define CHECK_PROG_TYPE(name, id, str, maj, min) SEC_PROG_SINCE_##name = CHECK_KVER(maj, min),
#include "check/prog_types.def"
#undef CHECK_PROG_TYPE
#define CHECK_ATTACH_TYPE(name, id, maj, min) SEC_ATTACH_SINCE_##name = CHECK_KVER(maj, min),
#include "check/attach_types.def"
#undef CHECK_ATTACH_TYPE
	SEC_ATTACH_SINCE_NONE = 0,
};

static const struct check_section sections[] = {
#define CHECK_SECTION(pat, match_, prog, attach, target_, fl)                                      \
	{                                                                                          \
	    .pattern = pat,                                                                        \
	    .match = CHECK_SEC_##match_,                                                           \
	    .prog_type = CHECK_PROG_##prog,                                                        \
	    .attach_type = CHECK_ATTACH_##attach,                                                  \
	    .target = CHECK_TGT_##target_,                                                         \
	    .flags = (fl),                                                                         \
	    .prog_since = SEC_PROG_SINCE_##prog,                                                   \
	    .attach_since = SEC_ATTACH_SINCE_##attach,                                             \
	},
#include "check/sections.def"
#undef CHECK_SECTION
};

#define NR_SECTIONS  (sizeof(sections) / sizeof(sections[0]))
#define SEC_NAME_MAX 256 /* longer names are compared by their first 255 bytes */

size_t check_section_count(void)
{
	return NR_SECTIONS;
}

const struct check_section *check_section_at(size_t i)
{
	return i < NR_SECTIONS ? &sections[i] : NULL;
}

static bool section_matches(const struct check_section *s, const char *name)
{
	size_t len = strlen(s->pattern);

	switch (s->match) {
	case CHECK_SEC_EXACT:
		return strcmp(name, s->pattern) == 0;
	case CHECK_SEC_PREFIX:
		return strncmp(name, s->pattern, len) == 0;
	case CHECK_SEC_OPTIONAL:
		return strncmp(name, s->pattern, len) == 0 &&
		       (name[len] == '\0' || name[len] == '/');
	}
	return false;
}

const char *check_section_base(const char *name)
{
	return name && name[0] == '?' ? name + 1 : name;
}

int check_section_lookup(const char *name, const struct check_section **out)
{
	size_t i;

	if (out)
		*out = NULL;
	if (!name)
		return -ENOENT;
	name = check_section_base(name);
	for (i = 0; i < NR_SECTIONS; i++) {
		if (section_matches(&sections[i], name)) {
			if (out)
				*out = &sections[i];
			return 0;
		}
	}
	return -ENOENT;
}

unsigned check_section_since(const struct check_section *sec)
{
	if (!sec)
		return 0;
	return sec->prog_since > sec->attach_since ? sec->prog_since : sec->attach_since;
}

/* Optimal string alignment distance between a[0..la) and b[0..lb), both < SEC_NAME_MAX. */
static unsigned osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
	static const size_t W = SEC_NAME_MAX;
	unsigned rows[3][SEC_NAME_MAX];
	unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	size_t i, j;

	for (j = 0; j <= lb && j < W; j++)
		prev[j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		unsigned *t;

		cur[0] = (unsigned)i;
		for (j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = prev[j] + 1;

			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* libbpf's program type names people write instead of a section name ("sched_cls"). */
static const struct check_section *suggest_by_type_name(const char *name)
{
	size_t i;

	for (i = 0; i < NR_SECTIONS; i++) {
		const char *tn = check_prog_type_name(sections[i].prog_type);

		if (tn && strcmp(tn, name) == 0)
			return &sections[i];
	}
	return NULL;
}

int check_section_suggest(const char *name, char *buf, size_t size)
{
	const struct check_section *best = NULL, *by_type;
	unsigned best_d = ~0u;
	size_t i, nlen, head;
	const char *rest;

	if (!name || !buf || size == 0)
		return -ENOENT;
	nlen = strnlen(name, SEC_NAME_MAX - 1);
	rest = memchr(name, '/', nlen);
	head = rest ? (size_t)(rest - name) : nlen;

	by_type = suggest_by_type_name(name);
	if (by_type) {
		snprintf(buf, size, "%s", by_type->pattern);
		return 0;
	}
	for (i = 0; i < NR_SECTIONS; i++) {
		const struct check_section *s = &sections[i];
		size_t plen = strlen(s->pattern);
		unsigned d, limit;

		if (s->match == CHECK_SEC_EXACT)
			d = osa_distance(name, nlen, s->pattern, plen);
		else
			d = osa_distance(name, head, s->pattern, plen);
		/* A third of the pattern's length, at most 2 edits. */
		limit = (unsigned)(plen / 3);
		if (limit > 2)
			limit = 2;
		if (limit == 0)
			limit = plen >= 3 ? 1 : 0;
		if (d > 0 && d <= limit && d < best_d) {
			best = s;
			best_d = d;
		}
	}
	if (!best)
		return -ENOENT;
	if (best->match != CHECK_SEC_EXACT && rest)
		snprintf(buf, size, "%s%.*s", best->pattern, (int)(nlen - head), rest);
	else
		snprintf(buf, size, "%s", best->pattern);
	return 0;
}

static bool is_ident_char(char c, const char *extra)
{
	return isalnum((unsigned char)c) || c == '_' || (c && strchr(extra, c));
}

/* Checks that s is [A-Za-z0-9_<extra>]+ optionally followed by "+<offset>". */
static bool target_is_func(const char *s, const char *extra, bool allow_offset)
{
	const char *p = s;
	char *end;

	while (is_ident_char(*p, extra))
		p++;
	if (p == s)
		return false;
	if (*p == '\0')
		return true;
	if (*p != '+' || !allow_offset)
		return false;
	strtol(p + 1, &end, 0);
	return end != p + 1 && *end == '\0';
}

static void section_report(struct diag_sink *sink, enum diag_level level, const char *rule,
                           const char *name, const char *program, const struct diag_loc *loc,
                           const char *message, const char *hint)
{
	struct diag d = {
	    .level = level,
	    .rule = rule,
	    .loc = loc ? *loc : (struct diag_loc){0},
	    .program = program,
	    .section = name,
	    .insn = -1,
	    .message = message,
	    .hint = hint,
	};

	diag_emit(sink, &d);
}

/* What the target part of an OPTIONAL/PREFIX name must look like; NULL if fine. */
static const char *target_problem(const struct check_section *s, const char *tgt, char *hint,
                                  size_t hsize)
{
	const char *p = s->pattern;

	switch (s->target) {
	case CHECK_TGT_NONE:
	case CHECK_TGT_STRUCT_OPS:
		return NULL;
	case CHECK_TGT_FUNC:
		if (target_is_func(tgt, ".", strncmp(p, "kretprobe", 9) != 0))
			return NULL;
		snprintf(hint, hsize, "write SEC(\"%s/<function>[+<offset>]\")%s", p,
		         strncmp(p, "kretprobe", 9) == 0 ? " (no offset for kretprobes)" : "");
		return "is not a kernel function name";
	case CHECK_TGT_FUNC_GLOB:
		if (*tgt)
			return NULL;
		snprintf(hint, hsize, "write SEC(\"%s/<function pattern>\")", p);
		return "has an empty function pattern";
	case CHECK_TGT_SYSCALL:
		if (target_is_func(tgt, "", false))
			return NULL;
		snprintf(hint, hsize, "write SEC(\"%s/<syscall>\"), e.g. SEC(\"%s/openat\")", p, p);
		return "is not a syscall name";
	case CHECK_TGT_UPROBE:
		if (*tgt == '\0' || (strchr(tgt, ':') && strchr(tgt, ':')[1] != '\0'))
			return NULL;
		snprintf(hint, hsize, "write SEC(\"%s/<binary>:<function>[+<offset>]\")", p);
		return "is missing the ':<function>' part";
	case CHECK_TGT_USDT: {
		const char *c1 = strchr(tgt, ':');

		if (c1 && strchr(c1 + 1, ':'))
			return NULL;
		snprintf(hint, hsize, "write SEC(\"%s/<binary>:<provider>:<name>\")", p);
		return "is not '<binary>:<provider>:<name>'";
	}
	case CHECK_TGT_TRACEPOINT: {
		const char *slash = strchr(tgt, '/');

		if (slash && slash != tgt && slash[1] != '\0')
			return NULL;
		snprintf(hint, hsize,
		         "write SEC(\"%s/<category>/<name>\"), e.g. "
		         "SEC(\"%s/syscalls/sys_enter_openat\")",
		         p, p);
		return "is not '<category>/<name>'";
	}
	case CHECK_TGT_RAW_TP:
		if (*tgt)
			return NULL;
		snprintf(hint, hsize,
		         "write SEC(\"%s/<tracepoint>\"), e.g. SEC(\"%s/sched_switch\")", p, p);
		return "has an empty tracepoint name";
	case CHECK_TGT_BTF:
		if (*tgt)
			return NULL;
		snprintf(hint, hsize, "write SEC(\"%s/<target>\")", p);
		return "has an empty target";
	}
	return NULL;
}

int check_section_name(const char *name, const char *program, const struct diag_loc *loc,
                       struct diag_sink *sink, const struct check_section **out)
{
	const struct check_section *s;
	char msg[512], hint[384], sugg[SEC_NAME_MAX];
	const char *problem, *tgt;
	size_t plen;

	name = check_section_base(name);
	if (check_section_lookup(name, &s) < 0) {
		snprintf(msg, sizeof(msg), "unknown section name SEC(\"%.255s\")%s%s%s",
		         name ? name : "", program ? " of program '" : "", program ? program : "",
		         program ? "'" : "");
		if (name && check_section_suggest(name, sugg, sizeof(sugg)) == 0)
			snprintf(hint, sizeof(hint), "did you mean SEC(\"%s\")?", sugg);
		else
			snprintf(hint, sizeof(hint),
			         "use a section name libbpf knows, e.g. "
			         "SEC(\"xdp\"), SEC(\"tc\"), SEC(\"kprobe/<function>\")");
		struct diag d = {
		    .level = DIAG_ERROR,
		    .rule = "check-section-unknown",
		    .loc = loc ? *loc : (struct diag_loc){0},
		    .program = program,
		    .section = name,
		    .insn = -1,
		    .message = msg,
		    .explanation = "libbpf takes the program type from the section name; with no "
		                   "match it refuses the program (\"missing BPF prog type, check "
		                   "ELF section name\")",
		    .hint = hint,
		};
		diag_emit(sink, &d);
		if (out)
			*out = NULL;
		return -ENOENT;
	}
	if (out)
		*out = s;

	if (s->flags & CHECK_SEC_DEPRECATED) {
		snprintf(msg, sizeof(msg), "SEC(\"%s\") is a legacy section name", s->pattern);
		section_report(sink, DIAG_WARNING, "check-section-legacy", name, program, loc, msg,
		               s->prog_type == CHECK_PROG_SCHED_ACT
		                   ? "use SEC(\"tcx/ingress\") or SEC(\"tcx/egress\") (tcx links: "
		                     "Linux 6.6 and libbpf 1.3; libbpf 1.1 does not know them) "
		                     "unless you need the tc action hook"
		                   : "use SEC(\"tcx/ingress\") or SEC(\"tcx/egress\") (tcx links: "
		                     "Linux 6.6 and libbpf 1.3; libbpf 1.1 does not know them)");
	}
	if (s->match == CHECK_SEC_EXACT || s->target == CHECK_TGT_NONE ||
	    s->target == CHECK_TGT_STRUCT_OPS)
		return 0;

	plen = strlen(s->pattern);
	if (name[plen] == '\0') {
		if (s->target == CHECK_TGT_BTF) {
			snprintf(msg, sizeof(msg), "SEC(\"%s\") names no attach target", name);
			snprintf(hint, sizeof(hint),
			         "write SEC(\"%s/<target>\"), or call "
			         "bpf_program__set_attach_target() before loading",
			         s->pattern);
			struct diag d = {
			    .level = DIAG_ERROR,
			    .rule = "check-section-target",
			    .loc = loc ? *loc : (struct diag_loc){0},
			    .program = program,
			    .section = name,
			    .insn = -1,
			    .message = msg,
			    .explanation = "BTF-attached programs are loaded against their "
			                   "target; libbpf fails the load (\"no BTF-based attach "
			                   "target is specified\") unless one is set by the "
			                   "application",
			    .hint = hint,
			};
			diag_emit(sink, &d);
			return 0;
		}
		snprintf(msg, sizeof(msg),
		         "SEC(\"%s\") has no target: libbpf loads it but cannot auto-attach it",
		         name);
		problem = target_problem(s, "", hint, sizeof(hint));
		section_report(sink, DIAG_WARNING, "check-section-no-attach", name, program, loc,
		               msg, problem ? hint : NULL);
		return 0;
	}
	tgt = name + plen + (s->match == CHECK_SEC_OPTIONAL ? 1 : 0);
	problem = target_problem(s, tgt, hint, sizeof(hint));
	if (problem) {
		snprintf(msg, sizeof(msg), "the target '%.200s' of SEC(\"%.255s\") %s", tgt, name,
		         problem);
		section_report(sink, DIAG_ERROR, "check-section-target", name, program, loc, msg,
		               hint);
	}
	return 0;
}

void check_legacy_maps_section(const struct diag_loc *loc, struct diag_sink *sink)
{
	struct diag d = {
	    .level = DIAG_ERROR,
	    .rule = "check-maps-legacy",
	    .loc = loc ? *loc : (struct diag_loc){0},
	    .insn = -1,
	    .message = "legacy map definitions in SEC(\"maps\") (struct bpf_map_def) are not "
	               "supported",
	    .explanation = "libbpf 1.0 and later refuse objects with a \"maps\" section "
	                   "(\"legacy map definitions in 'maps' section are not supported by "
	                   "libbpf v1.0+\")",
	    .hint = "define maps in SEC(\".maps\") with BTF: struct { __uint(type, "
	            "BPF_MAP_TYPE_HASH); __uint(max_entries, N); __type(key, K); __type(value, "
	            "V); } name SEC(\".maps\");",
	};

	diag_emit(sink, &d);
}
