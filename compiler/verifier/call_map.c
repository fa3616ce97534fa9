/*
 * call_map.c - which maps a helper call may be given (check_map_func_compatibility()).
 *
 * The kernel checks a helper call's map argument twice over: the map type's side (a
 * program array goes only to bpf_tail_call, a ring buffer only to the bpf_ringbuf_*
 * helpers, a perf event array only to the perf helpers, ...) and the helper's side
 * (bpf_perf_event_output takes only a perf event array, bpf_get_stackid only a stack trace
 * map, bpf_redirect_map only a device, CPU or XDP socket map, ...).  Either refusal is
 * "cannot pass map_type %d into func %s#%d" (-EINVAL), except bpf_tail_call, whose map is
 * refused while its arguments are checked ("expected prog array map for tail call").
 * Sockmap and sockhash updates and deletes through the generic helpers depend on the
 * program type (may_update_sockmap()).  bpf_for_each_map_elem refuses, before all that,
 * the map types that cannot run a callback per element (-ENOTSUPP).  All of it is data:
 * map_func.def.
 *
 * bpf_timer_init is also given the timer's own map, nothing else.
 *
 * A map bpfcc does not know (no vrf_options.map_info_fn answer) is let through.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "verifier/call.h"
#include "verifier/helper_proto.h"
#include "verifier/insn.h"
#include "verifier/map_func.h"
#include "verifier/prog.h"

/* Helper ids by name (check/helpers.def). */
enum call_map_func {
#define CHECK_HELPER(id, name, gpl, maj, min, src) CALL_MAP_FN_##name = id,
#include "check/helpers.def"
#undef CHECK_HELPER
};

enum call_map_when { CALL_MAP_ALWAYS, CALL_MAP_SOCKMAP_UPDATE };

static const struct {
	uint32_t map_type, func;
	enum call_map_when when;
} map_only[] = {
#define VRF_MAP_ONLY(map, fn, when) {CHECK_MAP_##map, CALL_MAP_FN_##fn, CALL_MAP_##when},
#include "verifier/map_func.def"
};

static const struct {
	uint32_t func, map_type;
} func_only[] = {
#define VRF_FUNC_ONLY(fn, map) {CALL_MAP_FN_##fn, CHECK_MAP_##map},
#include "verifier/map_func.def"
};

static const struct {
	uint32_t func;
	const char *msg;
} func_msg[] = {
#define VRF_FUNC_MSG(fn, msg) {CALL_MAP_FN_##fn, msg},
#include "verifier/map_func.def"
};

static const struct {
	uint32_t prog_type;
	int32_t attach_type;
	uint32_t func;
} sockmap_update[] = {
#define VRF_SOCKMAP_UPDATE(prog, attach, fn)                                                       \
	{CHECK_PROG_##prog, (int32_t)(attach), CALL_MAP_FN_##fn},
#define TRACE_ITER CHECK_ATTACH_TRACE_ITER
#include "verifier/map_func.def"
#undef TRACE_ITER
};

static const uint32_t no_callback[] = {
#define VRF_MAP_NO_CALLBACK(map) CHECK_MAP_##map,
#include "verifier/map_func.def"
};

static const struct {
	const char *name, *msg;
} tracing_fields[] = {
#define VRF_MAP_TRACING_FIELD(name, msg) {name, msg},
#include "verifier/map_func.def"
};

static const uint32_t tracing_progs[] = {
#define VRF_MAP_TRACING_PROG(prog) CHECK_PROG_##prog,
#include "verifier/map_func.def"
};

static const uint32_t sleepable_maps[] = {
#define VRF_MAP_SLEEPABLE(map) CHECK_MAP_##map,
#include "verifier/map_func.def"
};

/* Is the value a map type of map_types.def (the types this table speaks about)? */
static const uint32_t known_maps[] = {
#define CHECK_MAP_TYPE(name, id, str, maj, min) id,
#include "check/map_types.def"
#undef CHECK_MAP_TYPE
};

#define CALL_MAP_N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const helper_names[CHECK_HELPER_MAX_ID + 1] = {
#define CHECK_HELPER(id, name, gpl, maj, min, src) [id] = #name,
#include "check/helpers.def"
#undef CHECK_HELPER
};

static int sockmap_update_ok(uint32_t func, uint32_t prog_type, int32_t attach_type)
{
	size_t i;

	/* an extension program is checked as its target's type, which bpfcc does not know */
	if (prog_type == CHECK_PROG_EXT)
		return 1;
	for (i = 0; i < CALL_MAP_N(sockmap_update); i++)
		if (sockmap_update[i].func == func && sockmap_update[i].prog_type == prog_type &&
		    (sockmap_update[i].attach_type < 0 ||
		     sockmap_update[i].attach_type == attach_type))
			return 1;
	return 0;
}

/* The map type's side: 1 when map_type goes to some helpers only and func is none of them. */
static int map_side_refuses(uint32_t func, uint32_t map_type, uint32_t prog_type,
                            int32_t attach_type)
{
	int listed = 0;
	size_t i;

	for (i = 0; i < CALL_MAP_N(map_only); i++) {
		if (map_only[i].map_type != map_type)
			continue;
		listed = 1;
		if (map_only[i].func != func)
			continue;
		if (map_only[i].when == CALL_MAP_ALWAYS ||
		    sockmap_update_ok(func, prog_type, attach_type))
			return 0;
	}
	return listed;
}

int vrf_map_func_restricted(uint32_t func_id)
{
	size_t i;

	for (i = 0; i < CALL_MAP_N(func_only); i++)
		if (func_only[i].func == func_id)
			return 1;
	return 0;
}

/* The helper's side: 1 when func takes some map types only and map_type is none of them. */
static int func_side_refuses(uint32_t func, uint32_t map_type)
{
	size_t i;

	for (i = 0; i < CALL_MAP_N(func_only); i++)
		if (func_only[i].func == func && func_only[i].map_type == map_type)
			return 0;
	return vrf_map_func_restricted(func);
}

int vrf_map_func_check(uint32_t func_id, uint32_t map_type, uint32_t prog_type, int32_t attach_type,
                       char *msg, size_t len)
{
	const char *name = func_id <= CHECK_HELPER_MAX_ID ? helper_names[func_id] : NULL;
	size_t i;

	if (!name)
		return 0;
	if (func_side_refuses(func_id, map_type)) {
		for (i = 0; i < CALL_MAP_N(func_msg); i++)
			if (func_msg[i].func == func_id) {
				if (len)
					snprintf(msg, len, "%s", func_msg[i].msg);
				return 1;
			}
	} else if (!map_side_refuses(func_id, map_type, prog_type, attach_type)) {
		return 0;
	}
	if (len)
		snprintf(msg, len, "cannot pass map_type %u into func bpf_%s#%u", map_type, name,
		         func_id);
	return 1;
}

int vrf_map_func_callback_refused(uint32_t map_type)
{
	size_t i;

	for (i = 0; i < CALL_MAP_N(no_callback); i++)
		if (no_callback[i] == map_type)
			return 1;
	return 0;
}

int vrf_map_func_wanted(uint32_t func_id, char *buf, size_t len)
{
	size_t i, used = 0;
	int n = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < CALL_MAP_N(func_only); i++) {
		const char *t;
		int w;

		if (func_only[i].func != func_id)
			continue;
		t = check_map_type_name(func_only[i].map_type);
		if (used < len) {
			w = snprintf(buf + used, len - used, "%s%s", n ? ", " : "", t ? t : "?");
			if (w > 0)
				used += (size_t)w;
		}
		n++;
	}
	return n;
}

int call_map_check_callback(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	const struct vrf_call_meta *m = &env->call_meta;
	const char *have;
	char d[160];

	if (!insn_is_helper_call(in) || in->imm != CALL_MAP_FN_for_each_map_elem || !m->map_known ||
	    !vrf_map_func_callback_refused(m->mi.type))
		return 0;
	have = check_map_type_name(m->mi.type);
	snprintf(d, sizeof(d),
	         "bpf_for_each_map_elem walks hash and array maps only; this map is a %s",
	         have ? have : "map of another type");
	return env_fault(env, VRF_R_MAP_CALLBACK, idx, d, "callback function not allowed for map");
}

/* The map an ld_imm64 (src_reg, imm) names, as one number per map: fds and indexes are
 * different name spaces (-1: neither). */
static int64_t map_name(uint8_t src, int32_t imm)
{
	if (src == BPF_PSEUDO_MAP_FD || src == BPF_PSEUDO_MAP_VALUE)
		return (int64_t)(uint32_t)imm;
	if (src == BPF_PSEUDO_MAP_IDX || src == BPF_PSEUDO_MAP_IDX_VALUE)
		return (int64_t)(uint32_t)imm + (1ll << 32);
	return -1;
}

/*
 * bpf_timer_init(timer, map, flags): the map must be the one whose value holds the timer
 * (check_func_arg() compares it with the timer's map: "timer pointer in R1 map_uid=%d
 * doesn't match map pointer in R2 map_uid=%d"; map_uid is 0 but for inner maps, which bpfcc
 * does not follow: an inner map's value or pointer is let through).
 */
static int check_timer_map(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	const struct vrf_reg *r1 = &state_regs(&env->cur)[BPF_REG_1];
	const struct vrf_reg *r2 = &state_regs(&env->cur)[BPF_REG_2];
	int64_t timer_map, arg_map;

	if (in->imm != CALL_MAP_FN_timer_init || r1->type != VRF_T_MAP_VALUE || r1->maybe_null ||
	    r2->type != VRF_T_MAP_PTR)
		return 0;
	timer_map = map_name(r1->map_src, r1->map);
	arg_map = map_name(r2->map_src, r2->map);
	if (timer_map < 0 || arg_map < 0 || timer_map == arg_map ||
	    (timer_map >> 32) != (arg_map >> 32))
		return 0;
	return env_fault(env, VRF_R_MAP_FUNC, idx,
	                 "bpf_timer_init must be given the map whose value holds the timer",
	                 "timer pointer in R1 map_uid=0 doesn't match map pointer in R2 map_uid=0");
}

int call_map_check(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	const struct vrf_call_meta *m = &env->call_meta;
	char kmsg[128], d[256], wanted[128];
	const char *have;

	if (!insn_is_helper_call(in))
		return 0;
	if (check_timer_map(env, in, idx))
		return -EINVAL;
	if (!m->map_known)
		return 0;
	if (!vrf_map_func_check((uint32_t)in->imm, m->mi.type, (uint32_t)env->ienv.prog_type,
	                        prog_attach_type(env), kmsg, sizeof(kmsg)))
		return 0;
	have = check_map_type_name(m->mi.type);
	if (vrf_map_func_wanted((uint32_t)in->imm, wanted, sizeof(wanted)))
		snprintf(d, sizeof(d), "bpf_%s takes a map of type %s; this map is a %s",
		         helper_names[in->imm], wanted, have ? have : "map of another type");
	else
		snprintf(d, sizeof(d), "a %s map cannot be passed to bpf_%s",
		         have ? have : "map of this type", helper_names[in->imm]);
	return env_fault(env, VRF_R_MAP_FUNC, idx, d, "%s", kmsg);
}

#define CALL_MAP_BTF_DEPTH 4

/* Does BTF type id hold a struct called name, itself, as a member of a (nested) struct or as
 * a variable of a data section?  Arrays and unions of them are not counted (the kernel let a
 * perf_event program use a map whose value held an array of two timers). */
static bool btf_holds(const struct btf *btf, uint32_t id, const char *name, int depth)
{
	const struct btf_type *t;
	int rid, i, n;

	if (depth > CALL_MAP_BTF_DEPTH)
		return false;
	rid = btf__resolve_type(btf, id);
	t = rid > 0 ? btf__type_by_id(btf, (uint32_t)rid) : NULL;
	if (!t)
		return false;
	if (btf_is_struct(t)) {
		const char *tn = btf__name_by_offset(btf, t->name_off);
		const struct btf_member *m = btf_members(t);

		if (tn && !strcmp(tn, name))
			return true;
		n = btf_vlen(t);
		for (i = 0; i < n; i++)
			if (btf_holds(btf, m[i].type, name, depth + 1))
				return true;
		return false;
	}
	if (btf_is_datasec(t)) {
		const struct btf_var_secinfo *v = btf_var_secinfos(t);

		n = btf_vlen(t);
		for (i = 0; i < n; i++) {
			const struct btf_type *var = btf__type_by_id(btf, v[i].type);

			if (var && btf_is_var(var) && btf_holds(btf, var->type, name, depth + 1))
				return true;
		}
	}
	return false;
}

int vrf_map_func_tracing_prog(uint32_t prog_type)
{
	size_t i;

	for (i = 0; i < CALL_MAP_N(tracing_progs); i++)
		if (tracing_progs[i] == prog_type)
			return 1;
	return 0;
}

int vrf_map_func_sleepable_ok(uint32_t map_type)
{
	size_t i;

	for (i = 0; i < CALL_MAP_N(sleepable_maps); i++)
		if (sleepable_maps[i] == map_type)
			return 1;
	for (i = 0; i < CALL_MAP_N(known_maps); i++)
		if (known_maps[i] == map_type)
			return 0;
	return 1; /* a type newer than the table: not refused */
}

int call_map_prog_check(struct vrf_env *env, const struct bpf_insn *in, int i)
{
	const struct vrf_options *o = env->opts;
	struct vrf_map_info mi;
	char d[200];
	size_t k;

	if (!o || !o->map_info_fn || !o->prog_btf ||
	    !vrf_map_func_tracing_prog((uint32_t)env->ienv.prog_type) ||
	    o->map_info_fn(o->map_info_ctx, in->src_reg, in->imm, &mi) < 0 || !mi.value_btf_id)
		return 0;
	for (k = 0; k < CALL_MAP_N(tracing_fields); k++) {
		if (!btf_holds(o->prog_btf, mi.value_btf_id, tracing_fields[k].name, 0))
			continue;
		snprintf(d, sizeof(d),
		         "tracing programs (kprobe, tracepoint, perf_event, raw_tp) may not use a "
		         "map whose value holds a struct %s",
		         tracing_fields[k].name);
		return env_fault(env, VRF_R_MAP_PROG, i, d, "%s", tracing_fields[k].msg);
	}
	return 0;
}
