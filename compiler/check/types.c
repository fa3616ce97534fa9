/*
 * types.c - names and first kernel versions of program, attach and map types.
 *
 * The kernel numbers these in its uapi enums (bpf_prog_type, bpf_attach_type,
 * bpf_map_type); the tables (prog_types.def, attach_types.def, map_types.def) are
 * generated from the running kernel's BTF, with the version each value first appeared in
 * from eBPF-Docs.  Lookups are by value; values are dense, so the tables are indexed.
 */
#include "check/check.h"

struct type_row {
	const char *name;
	unsigned since;
	bool valid;
};

static const struct type_row prog_rows[CHECK_PROG_TYPE_COUNT] = {
#define CHECK_PROG_TYPE(name_, id, str, maj, min) [id] = {str, CHECK_KVER(maj, min), true},
#include "check/prog_types.def"
#undef CHECK_PROG_TYPE
};

static const struct type_row attach_rows[CHECK_ATTACH_TYPE_COUNT] = {
#define CHECK_ATTACH_TYPE(name_, id, maj, min) [id] = {#name_, CHECK_KVER(maj, min), true},
#include "check/attach_types.def"
#undef CHECK_ATTACH_TYPE
};

static const struct type_row map_rows[CHECK_MAP_TYPE_COUNT] = {
#define CHECK_MAP_TYPE(name_, id, str, maj, min) [id] = {str, CHECK_KVER(maj, min), true},
#include "check/map_types.def"
#undef CHECK_MAP_TYPE
};

const char *check_prog_type_name(uint32_t prog_type)
{
	return prog_type < CHECK_PROG_TYPE_COUNT && prog_rows[prog_type].valid
	           ? prog_rows[prog_type].name
	           : NULL;
}

unsigned check_prog_type_since(uint32_t prog_type)
{
	return prog_type < CHECK_PROG_TYPE_COUNT ? prog_rows[prog_type].since : 0;
}

const char *check_attach_type_name(int32_t attach_type)
{
	return attach_type >= 0 && attach_type < CHECK_ATTACH_TYPE_COUNT &&
	               attach_rows[attach_type].valid
	           ? attach_rows[attach_type].name
	           : NULL;
}

unsigned check_attach_type_since(int32_t attach_type)
{
	return attach_type >= 0 && attach_type < CHECK_ATTACH_TYPE_COUNT
	           ? attach_rows[attach_type].since
	           : 0;
}

const char *check_map_type_name(uint32_t map_type)
{
	return map_type < CHECK_MAP_TYPE_COUNT && map_rows[map_type].valid ? map_rows[map_type].name
	                                                                   : NULL;
}

unsigned check_map_type_since(uint32_t map_type)
{
	return map_type < CHECK_MAP_TYPE_COUNT ? map_rows[map_type].since : 0;
}
