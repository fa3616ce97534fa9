/*
 * diag_category.c - names of the finding categories and the category of each rule of the
 * stages before the verifier.
 *
 * The categories are the kernel verifier's (kernel/bpf/diagnostics.c: "Verification
 * failed: <category>: <problem>"), so a finding reads the same in bpfcc's output and in
 * the kernel's log.  Both tables are data (diag_category.def, rule_category.def); the
 * lookups are pure.
 */
#include "diag/diag.h"

#include <string.h>

static const struct {
	const char *name;
	const char *summary;
} categories[DIAG_CAT_COUNT] = {
    [DIAG_CAT_NONE] = {NULL, NULL},
#define DIAG_CATEGORY(e, n, s) [DIAG_CAT_##e] = {n, s},
#include "diag/diag_category.def"
#undef DIAG_CATEGORY
};

static const struct {
	const char *rule;
	enum diag_category cat;
} rule_categories[] = {
#define DIAG_RULE_CATEGORY(rule, cat) {rule, DIAG_CAT_##cat},
#include "diag/rule_category.def"
#undef DIAG_RULE_CATEGORY
};

const char *diag_category_name(enum diag_category cat)
{
	return (unsigned)cat < DIAG_CAT_COUNT ? categories[cat].name : NULL;
}

const char *diag_category_summary(enum diag_category cat)
{
	return (unsigned)cat < DIAG_CAT_COUNT ? categories[cat].summary : NULL;
}

enum diag_category diag_category_lookup(const char *name)
{
	if (!name)
		return DIAG_CAT_NONE;
	for (unsigned c = DIAG_CAT_NONE + 1; c < DIAG_CAT_COUNT; c++)
		if (!strcmp(categories[c].name, name))
			return (enum diag_category)c;
	return DIAG_CAT_NONE;
}

enum diag_category diag_rule_category(const char *rule)
{
	if (!rule)
		return DIAG_CAT_NONE;
	for (size_t i = 0; i < sizeof(rule_categories) / sizeof(rule_categories[0]); i++)
		if (!strcmp(rule_categories[i].rule, rule))
			return rule_categories[i].cat;
	return DIAG_CAT_NONE;
}
