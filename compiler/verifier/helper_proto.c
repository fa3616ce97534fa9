/*
 * helper_proto.c - lookups in the helper prototype table (helper_protos.def, generated from
 * the live kernel) merged at compile time with check/helpers.def (gpl_only, first version).
 *
 * Models the kernel's per-helper struct bpf_func_proto as check_helper_call() reads it.
 * Pure: static tables, no allocation.
 */
#include "verifier/helper_proto.h"

#include <stddef.h>
#include <string.h>

#include "check/check.h"

#define VRF_RET(kind, fl, src, r0)                                                                 \
	{                                                                                          \
		VRF_RET_##kind, (fl), VRF_PROTO_##src, r0                                          \
	}
#define VRF_ARG(kind, fl, sz, src, acc)                                                            \
	{                                                                                          \
		VRF_ARG_##kind, (fl), (sz), VRF_PROTO_##src, acc                                   \
	}

static const struct vrf_helper_proto protos[CHECK_HELPER_MAX_ID + 1] = {
#define CHECK_HELPER(id_, name_, gpl, maj, min, src)                                               \
	[id_].gpl_only = (gpl), [id_].since_major = (maj), [id_].since_minor = (min),
#include "check/helpers.def"
#undef CHECK_HELPER
#define VRF_HELPER_PROTO(id_, name_, sleep, pkt, prog, attach, fl, n, ret_, a1, a2, a3, a4, a5)    \
	[id_].id = (id_), [id_].name = #name_, [id_].might_sleep = (sleep),                        \
	[id_].pkt_access = (pkt), [id_].probe_prog = (prog), [id_].probe_attach = (attach),        \
	[id_].probe_flags = (fl), [id_].nargs = (n), [id_].ret = ret_,                             \
	[id_].args = {a1, a2, a3, a4, a5},
#include "verifier/helper_protos.def"
#undef VRF_HELPER_PROTO
};

static const char *const arg_names[VRF_ARG_KIND_COUNT] = {
    [VRF_ARG_DONTCARE] = "ARG_DONTCARE",
    [VRF_ARG_CONST_MAP_PTR] = "ARG_CONST_MAP_PTR",
    [VRF_ARG_PTR_TO_MAP_KEY] = "ARG_PTR_TO_MAP_KEY",
    [VRF_ARG_PTR_TO_MAP_VALUE] = "ARG_PTR_TO_MAP_VALUE",
    [VRF_ARG_PTR_TO_MEM] = "ARG_PTR_TO_MEM",
    [VRF_ARG_PTR_TO_ARENA] = "ARG_PTR_TO_ARENA",
    [VRF_ARG_CONST_SIZE] = "ARG_CONST_SIZE",
    [VRF_ARG_CONST_SIZE_OR_ZERO] = "ARG_CONST_SIZE_OR_ZERO",
    [VRF_ARG_PTR_TO_CTX] = "ARG_PTR_TO_CTX",
    [VRF_ARG_ANYTHING] = "ARG_ANYTHING",
    [VRF_ARG_PTR_TO_SPIN_LOCK] = "ARG_PTR_TO_SPIN_LOCK",
    [VRF_ARG_PTR_TO_SOCK_COMMON] = "ARG_PTR_TO_SOCK_COMMON",
    [VRF_ARG_PTR_TO_SOCKET] = "ARG_PTR_TO_SOCKET",
    [VRF_ARG_PTR_TO_BTF_ID] = "ARG_PTR_TO_BTF_ID",
    [VRF_ARG_PTR_TO_RINGBUF_MEM] = "ARG_PTR_TO_RINGBUF_MEM",
    [VRF_ARG_CONST_ALLOC_SIZE_OR_ZERO] = "ARG_CONST_ALLOC_SIZE_OR_ZERO",
    [VRF_ARG_PTR_TO_BTF_ID_SOCK_COMMON] = "ARG_PTR_TO_BTF_ID_SOCK_COMMON",
    [VRF_ARG_PTR_TO_PERCPU_BTF_ID] = "ARG_PTR_TO_PERCPU_BTF_ID",
    [VRF_ARG_PTR_TO_FUNC] = "ARG_PTR_TO_FUNC",
    [VRF_ARG_PTR_TO_STACK] = "ARG_PTR_TO_STACK",
    [VRF_ARG_PTR_TO_CONST_STR] = "ARG_PTR_TO_CONST_STR",
    [VRF_ARG_PTR_TO_TIMER] = "ARG_PTR_TO_TIMER",
    [VRF_ARG_KPTR_XCHG_DEST] = "ARG_KPTR_XCHG_DEST",
    [VRF_ARG_PTR_TO_DYNPTR] = "ARG_PTR_TO_DYNPTR",
    [VRF_ARG_UNKNOWN] = "ARG_UNKNOWN",
};

static const char *const ret_names[VRF_RET_KIND_COUNT] = {
    [VRF_RET_INTEGER] = "RET_INTEGER",
    [VRF_RET_VOID] = "RET_VOID",
    [VRF_RET_PTR_TO_MAP_VALUE] = "RET_PTR_TO_MAP_VALUE",
    [VRF_RET_PTR_TO_SOCKET] = "RET_PTR_TO_SOCKET",
    [VRF_RET_PTR_TO_TCP_SOCK] = "RET_PTR_TO_TCP_SOCK",
    [VRF_RET_PTR_TO_SOCK_COMMON] = "RET_PTR_TO_SOCK_COMMON",
    [VRF_RET_PTR_TO_MEM] = "RET_PTR_TO_MEM",
    [VRF_RET_PTR_TO_MEM_OR_BTF_ID] = "RET_PTR_TO_MEM_OR_BTF_ID",
    [VRF_RET_PTR_TO_BTF_ID] = "RET_PTR_TO_BTF_ID",
    [VRF_RET_UNKNOWN] = "RET_UNKNOWN",
};

const struct vrf_helper_proto *vrf_helper_proto(uint32_t id)
{
	if (id == 0 || id > CHECK_HELPER_MAX_ID || !protos[id].name)
		return NULL;
	return &protos[id];
}

uint32_t vrf_helper_proto_max_id(void)
{
	return CHECK_HELPER_MAX_ID;
}

const struct vrf_helper_proto *vrf_helper_proto_by_name(const char *name)
{
	uint32_t id;

	if (!name)
		return NULL;
	if (!strncmp(name, "bpf_", 4))
		name += 4;
	for (id = 1; id <= CHECK_HELPER_MAX_ID; id++)
		if (protos[id].name && !strcmp(protos[id].name, name))
			return &protos[id];
	return NULL;
}

const char *vrf_arg_kind_name(enum vrf_arg_kind kind)
{
	return (unsigned)kind < VRF_ARG_KIND_COUNT ? arg_names[kind] : "ARG_?";
}

const char *vrf_ret_kind_name(enum vrf_ret_kind kind)
{
	return (unsigned)kind < VRF_RET_KIND_COUNT ? ret_names[kind] : "RET_?";
}

bool vrf_arg_kind_is_mem(enum vrf_arg_kind kind)
{
	switch (kind) {
	case VRF_ARG_PTR_TO_MAP_KEY:
	case VRF_ARG_PTR_TO_MAP_VALUE:
	case VRF_ARG_PTR_TO_MEM:
	case VRF_ARG_PTR_TO_RINGBUF_MEM:
		return true;
	default:
		return false;
	}
}

bool vrf_helper_arg_is_size(const struct vrf_helper_proto *p, unsigned n)
{
	if (!p || n == 0 || n >= VRF_HELPER_NARGS)
		return false;
	return p->args[n].kind == VRF_ARG_CONST_SIZE ||
	       p->args[n].kind == VRF_ARG_CONST_SIZE_OR_ZERO;
}

bool vrf_helper_arg_accepts(const struct vrf_helper_arg *a, const char *type_name)
{
	const char *s;
	size_t len;

	if (!a || !type_name || !type_name[0])
		return false;
	if (a->kind == VRF_ARG_ANYTHING)
		return true;
	len = strlen(type_name);
	for (s = a->accepts; *s;) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);

		if (n == len && !strncmp(s, type_name, len))
			return true;
		if (!end)
			break;
		for (s = end + 1; *s == ' '; s++)
			;
	}
	return false;
}
