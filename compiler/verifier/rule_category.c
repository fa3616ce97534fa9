/*
 * rule_category.c - the category of each verifier rule (rule_category.def), the kernel
 * verifier's grouping of its findings ("Verification failed: <category>: <problem>").
 */
#include "verifier/verifier.h"

static const enum diag_category rule_categories[VRF_R_COUNT] = {
#define VRF_RULE_CATEGORY(rule, cat) [rule] = DIAG_CAT_##cat,
#include "verifier/rule_category.def"
#undef VRF_RULE_CATEGORY
};

enum diag_category vrf_rule_category(enum vrf_rule rule)
{
	return (unsigned)rule < VRF_R_COUNT ? rule_categories[rule] : DIAG_CAT_NONE;
}
