/*
 * helper.c - BPF helpers: who may call them, and whether the license matters.
 *
 * The kernel's check_helper_call() settles three things before it looks at a single
 * argument: the id must name a helper ("invalid func"), the program type's
 * get_func_proto() must offer it ("program of this type cannot use helper"), and a
 * gpl_only helper needs a GPL-compatible license ("cannot call GPL-restricted function
 * from non-GPL compatible program").  helpers.def and helper_allow.def record the running
 * kernel's answers to exactly those questions (compiler/check/gen/probe_helpers.c); where
 * the kernel could not be asked, eBPF-Docs' lists fill in (rows marked DOCS).
 */
#include "check/check.h"

#include <linux/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define HELPER_WORDS ((CHECK_HELPER_MAX_ID + 64) / 64)

static const struct check_helper helpers[CHECK_HELPER_MAX_ID + 1] = {
#define CHECK_HELPER(id_, name_, gpl, maj, min, src)                                               \
	[id_] = {.id = id_,                                                                        \
	         .name = "bpf_" #name_,                                                            \
	         .gpl_only = gpl,                                                                  \
	         .since = CHECK_KVER(maj, min),                                                    \
	         .gpl_source = src},
#include "check/helpers.def"
#undef CHECK_HELPER
};

enum allow_source { PROBE, DOCS };

struct allow_row {
	uint32_t prog_type;
	int32_t attach_type;
	bool sleepable;
	enum allow_source source;
	uint64_t words[HELPER_WORDS];
};

static const struct allow_row allow_rows[] = {
#define CHECK_HELPER_ALLOW(prog, attach, slp, src, ...) {prog, attach, slp, src, {__VA_ARGS__}},
#include "check/helper_allow.def"
#undef CHECK_HELPER_ALLOW
};

#define NR_ALLOW_ROWS (sizeof(allow_rows) / sizeof(allow_rows[0]))

const struct check_helper *check_helper_by_id(uint32_t id)
{
	if (id == 0 || id > CHECK_HELPER_MAX_ID || !helpers[id].name)
		return NULL;
	return &helpers[id];
}

const struct check_helper *check_helper_by_name(const char *name)
{
	uint32_t id;

	if (!name)
		return NULL;
	for (id = 1; id <= CHECK_HELPER_MAX_ID; id++) {
		const char *n = helpers[id].name;

		if (n && (strcmp(n, name) == 0 || strcmp(n + 4, name) == 0))
			return &helpers[id];
	}
	return NULL;
}

static bool row_has(const struct allow_row *r, uint32_t id)
{
	return (r->words[id / 64] >> (id % 64)) & 1;
}

/*
 * bpf_copy_from_user[_task] are offered to every program type (bpf_base_func_proto(), with
 * CAP_BPF) whether or not the program is sleepable; a non-sleepable program's call is
 * refused later, with "helper call might sleep in a non-sleepable prog" (the verifier's
 * rule).  Probing a type without a sleepable variant saw only that refusal and recorded
 * "no".
 */
static bool base_sleepable_helper(uint32_t helper_id)
{
	return helper_id == BPF_FUNC_copy_from_user || helper_id == BPF_FUNC_copy_from_user_task;
}

int check_helper_allowed_attach(uint32_t prog_type, int32_t attach_type, uint32_t helper_id)
{
	bool any_row = false, any_attach_row = false, allowed = false, allowed_attach = false;
	size_t i;

	if (!check_helper_by_id(helper_id))
		return 0;
	if (base_sleepable_helper(helper_id))
		return 1;
	for (i = 0; i < NR_ALLOW_ROWS; i++) {
		const struct allow_row *r = &allow_rows[i];

		if (r->prog_type != prog_type)
			continue;
		any_row = true;
		allowed |= row_has(r, helper_id);
		if (attach_type != CHECK_ATTACH_NONE && r->attach_type == attach_type) {
			any_attach_row = true;
			allowed_attach |= row_has(r, helper_id);
		}
	}
	if (!any_row)
		return -1;
	if (any_attach_row)
		return allowed_attach;
	return allowed;
}

int check_helper_allowed(uint32_t prog_type, uint32_t helper_id)
{
	return check_helper_allowed_attach(prog_type, CHECK_ATTACH_NONE, helper_id);
}

int check_helper_call_in(uint32_t prog_type, int32_t attach_type, uint32_t id, bool gpl,
                         const struct diag *where, struct diag_sink *sink)
{
	const struct check_helper *h = check_helper_by_id(id);
	char msg[256], kmsg[160];
	const char *pt = check_prog_type_name(prog_type);

	if (!h) {
		snprintf(kmsg, sizeof(kmsg), "invalid func unknown#%u", id);
		struct diag d = {
		    .level = DIAG_ERROR,
		    .rule = "check-helper-unknown",
		    .loc = where->loc,
		    .program = where->program,
		    .section = where->section,
		    .insn = where->insn,
		    .message = "call of an unknown helper",
		    .kernel_msg = kmsg,
		    .explanation = "the helper id is past the last helper the kernel knows "
		                   "(bpf_cgrp_storage_delete, #211)",
		};
		diag_emit(sink, &d);
		return -EINVAL;
	}
	if (check_helper_allowed_attach(prog_type, attach_type, id) == 0) {
		snprintf(msg, sizeof(msg), "%s programs cannot call %s", pt ? pt : "these",
		         h->name);
		snprintf(kmsg, sizeof(kmsg), "program of this type cannot use helper %s#%u",
		         h->name, id);
		struct diag d = {
		    .level = DIAG_ERROR,
		    .rule = "check-helper-prog-type",
		    .loc = where->loc,
		    .program = where->program,
		    .section = where->section,
		    .insn = where->insn,
		    .message = msg,
		    .kernel_msg = kmsg,
		    .explanation = "each program type offers its own set of helpers",
		};
		diag_emit(sink, &d);
		return -EINVAL;
	}
	if (!gpl && h->gpl_only == 1) {
		snprintf(msg, sizeof(msg),
		         "%s is GPL-only and the program's license is not "
		         "GPL-compatible",
		         h->name);
		struct diag d = {
		    .level = DIAG_ERROR,
		    .rule = "check-helper-gpl",
		    .loc = where->loc,
		    .program = where->program,
		    .section = where->section,
		    .insn = where->insn,
		    .message = msg,
		    .kernel_msg = "cannot call GPL-restricted function from non-GPL compatible "
		                  "program",
		    .hint = "use a GPL-compatible license: char LICENSE[] SEC(\"license\") = "
		            "\"GPL\"; (or \"Dual BSD/GPL\", \"Dual MIT/GPL\" ...)",
		};
		diag_emit(sink, &d);
		return -EINVAL;
	}
	return 0;
}

int check_helper_call(uint32_t prog_type, int32_t attach_type, uint32_t id, bool gpl,
                      const struct diag_loc *loc, struct diag_sink *sink)
{
	struct diag where = {.loc = loc ? *loc : (struct diag_loc){0}, .insn = -1};

	return check_helper_call_in(prog_type, attach_type, id, gpl, &where, sink);
}
