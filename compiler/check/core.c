/*
 * core.c - CO-RE relocations resolved against a target kernel's BTF, as libbpf does.
 *
 * clang records, for each instruction that depends on a kernel type's layout, a root type
 * of the object's BTF, an access string ("0:1:2": array index on the root, then member or
 * element indexes) and what is asked (field offset, size, existence, signedness, bitfield
 * shifts; type id, existence, size; enumerator existence or value).  libbpf
 * (bpf_core_calc_relo_insn) looks in the target BTF for every type of the same kind whose
 * name matches once "___flavour" suffixes are dropped, follows the access by member name
 * (looking through anonymous structs and unions), and takes the value from the first
 * candidate that matches; candidates that match but disagree fail the load ("relocation
 * decision ambiguity").  With no match, existence questions answer 0, type questions answer
 * 0, and field or enumerator values cannot be computed: libbpf then "poisons" the
 * instruction (a call of helper 0xbad2310) so that the kernel rejects the program only if
 * the instruction is reachable.
 *
 * TYPE_MATCHES uses libbpf's stricter matching relation (types_match below).
 * Simplifications: only little-endian targets; module BTFs are not searched.
 */
#include "check/check.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/object.h"

#define CORE_MAX_ACCESS 64
#define CORE_MAX_DEPTH  32

struct core_spec {
	const struct btf *btf;
	uint32_t root_id;
	uint32_t acc[CORE_MAX_ACCESS]; /* raw access indexes */
	int nr_acc;
	/* result of following the access */
	uint64_t bit_off;
	uint32_t bit_sz;    /* bitfield size, 0 if not a bitfield */
	uint32_t field_id;  /* type id of the last member/element */
	uint32_t member_id; /* containing composite of the last member (for bitfields) */
	bool bitfield;
	int64_t enum_val;
};

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id, uint32_t *res_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int guard = 0;

	while (t && (btf_is_mod(t) || btf_is_typedef(t)) && guard++ < CORE_MAX_DEPTH) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (res_id)
		*res_id = id;
	return t;
}

/* Length of `name` without a "___flavour" suffix (libbpf's essential name). */
static size_t essential_len(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = n >= 5 ? n - 5 + 1 : 0; i-- > 0;)
		if (name[i] != '_' && strncmp(name + i + 1, "___", 3) == 0 && name[i + 4] != '_')
			return i + 1;
	return n;
}

static bool names_match(const char *a, const char *b)
{
	size_t la = essential_len(a), lb = essential_len(b);

	return la == lb && strncmp(a, b, la) == 0;
}

/* The candidate cache (check.h): chains of type ids by hash of the essential name. */
struct check_core_index {
	const struct btf *btf;
	uint32_t nbuckets; /* a power of two */
	uint32_t *head;    /* bucket -> first id, 0 for none */
	uint32_t *next;    /* id -> the next id of its chain, 0 for none */
};

/* FNV-1a of the essential name. */
static uint32_t core_hash(const char *name)
{
	size_t n = essential_len(name);
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}

static const char *tname(const struct btf *btf, const struct btf_type *t)
{
	const char *n = t ? btf__name_by_offset(btf, t->name_off) : NULL;

	return n ? n : "";
}

static const char *kind_str(const struct btf_type *t)
{
	switch (t ? btf_kind(t) : BTF_KIND_UNKN) {
	case BTF_KIND_STRUCT:
		return "struct";
	case BTF_KIND_UNION:
		return "union";
	case BTF_KIND_TYPEDEF:
		return "typedef";
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return "enum";
	default:
		return "type";
	}
}

static bool is_field_kind(uint32_t k)
{
	return k <= CHECK_CORE_FIELD_RSHIFT_U64;
}

static bool is_enum_kind(uint32_t k)
{
	return k == CHECK_CORE_ENUMVAL_EXISTS || k == CHECK_CORE_ENUMVAL_VALUE;
}

static bool kinds_compat(const struct btf_type *a, const struct btf_type *b)
{
	if (btf_kind(a) == btf_kind(b))
		return true;
	return btf_is_any_enum(a) && btf_is_any_enum(b);
}

static int parse_access(const char *s, struct core_spec *spec)
{
	spec->nr_acc = 0;
	while (*s) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || v > UINT32_MAX || spec->nr_acc >= CORE_MAX_ACCESS)
			return -EINVAL;
		spec->acc[spec->nr_acc++] = (uint32_t)v;
		if (*end == ':')
			end++;
		else if (*end)
			return -EINVAL;
		s = end;
	}
	return spec->nr_acc ? 0 : -EINVAL;
}

static void spec_append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void spec_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	if (len < size)
		vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* Follows the local (raw) access in the object's BTF; spells it into res->spec. */
static int local_field_spec(struct core_spec *spec, char *out, size_t size)
{
	const struct btf *btf = spec->btf;
	uint32_t id;
	const struct btf_type *t = skip_mods(btf, spec->root_id, &id);
	int64_t sz;

	if (!t)
		return -EINVAL;
	sz = btf__resolve_size(btf, id);
	if (sz < 0)
		return -EINVAL;
	snprintf(out, size, "%s", tname(btf, t));
	if (spec->acc[0])
		spec_append(out, size, "[%u]", spec->acc[0]);
	spec->bit_off = (uint64_t)spec->acc[0] * (uint64_t)sz * 8;
	spec->field_id = id;
	spec->bitfield = false;
	spec->bit_sz = 0;
	for (int i = 1; i < spec->nr_acc; i++) {
		uint32_t idx = spec->acc[i];

		if (btf_is_composite(t)) {
			const struct btf_member *m;
			const char *mn;

			if (idx >= btf_vlen(t))
				return -EINVAL;
			m = btf_members(t) + idx;
			mn = btf__name_by_offset(btf, m->name_off);
			spec->bit_off += btf_member_bit_offset(t, idx);
			spec->bit_sz = btf_member_bitfield_size(t, idx);
			spec->bitfield = spec->bit_sz != 0;
			if (mn && *mn)
				spec_append(out, size, ".%s", mn);
			t = skip_mods(btf, m->type, &id);
		} else if (btf_is_array(t)) {
			const struct btf_array *a = btf_array(t);

			sz = btf__resolve_size(btf, a->type);
			if (sz < 0)
				return -EINVAL;
			spec->bit_off += (uint64_t)idx * (uint64_t)sz * 8;
			spec->bitfield = false;
			spec->bit_sz = 0;
			spec_append(out, size, "[%u]", idx);
			t = skip_mods(btf, a->type, &id);
		} else {
			return -EINVAL;
		}
		if (!t)
			return -EINVAL;
		spec->field_id = id;
	}
	return 0;
}

static bool fields_compat(const struct btf *lb, uint32_t lid, const struct btf *tb, uint32_t tid,
                          int depth)
{
	const struct btf_type *l = skip_mods(lb, lid, NULL), *t = skip_mods(tb, tid, NULL);

	if (!l || !t || depth > CORE_MAX_DEPTH)
		return false;
	if (btf_is_composite(l) && btf_is_composite(t))
		return true;
	if (!kinds_compat(l, t))
		return false;
	switch (btf_kind(l)) {
	case BTF_KIND_PTR:
	case BTF_KIND_FLOAT:
		return true;
	case BTF_KIND_FWD:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return names_match(tname(lb, l), tname(tb, t));
	case BTF_KIND_INT:
		return btf_int_offset(l) == 0 && btf_int_offset(t) == 0;
	case BTF_KIND_ARRAY:
		return fields_compat(lb, btf_array(l)->type, tb, btf_array(t)->type, depth + 1);
	default:
		return false;
	}
}

/*
 * Finds member `name` in composite `t` of the target, looking through anonymous members;
 * adds its bit offset to *bit_off and returns its index path end: 1 found, 0 not.
 */
static int find_member(const struct btf *btf, const struct btf_type *t, const char *name,
                       uint64_t *bit_off, uint32_t *bit_sz, uint32_t *type_id, int depth)
{
	const struct btf_member *m = btf_members(t);

	if (depth > CORE_MAX_DEPTH)
		return 0;
	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		uint64_t off = btf_member_bit_offset(t, i);

		if (mn && *mn) {
			if (names_match(mn, name)) {
				*bit_off += off;
				*bit_sz = btf_member_bitfield_size(t, i);
				*type_id = m->type;
				return 1;
			}
			continue;
		}
		const struct btf_type *mt = skip_mods(btf, m->type, NULL);

		if (mt && btf_is_composite(mt)) {
			uint64_t sub = *bit_off + off;

			if (find_member(btf, mt, name, &sub, bit_sz, type_id, depth + 1)) {
				*bit_off = sub;
				return 1;
			}
		}
	}
	return 0;
}

/* Matches the local field access against target root `cand_id`: 1 matched, 0 not. */
static int match_field(const struct core_spec *local, const struct btf *tb, uint32_t cand_id,
                       struct core_spec *targ)
{
	const struct btf *lb = local->btf;
	uint32_t lid, tid;
	const struct btf_type *lt = skip_mods(lb, local->root_id, &lid);
	const struct btf_type *t = skip_mods(tb, cand_id, &tid);
	int64_t sz = btf__resolve_size(tb, tid);

	if (!lt || !t || sz < 0)
		return 0;
	targ->btf = tb;
	targ->root_id = cand_id;
	targ->bit_off = (uint64_t)local->acc[0] * (uint64_t)sz * 8;
	targ->bit_sz = 0;
	targ->field_id = tid;
	for (int i = 1; i < local->nr_acc; i++) {
		uint32_t idx = local->acc[i];

		if (btf_is_composite(lt)) {
			const struct btf_member *m = btf_members(lt) + idx;
			const char *mn = btf__name_by_offset(lb, m->name_off);
			uint32_t mtype;

			lt = skip_mods(lb, m->type, &lid);
			if (!mn || !*mn)
				continue; /* anonymous: the target is searched through them */
			if (!btf_is_composite(t))
				return 0;
			if (!find_member(tb, t, mn, &targ->bit_off, &targ->bit_sz, &mtype, 0))
				return 0;
			if (!fields_compat(lb, lid, tb, mtype, 0))
				return 0;
			t = skip_mods(tb, mtype, &tid);
		} else {
			const struct btf_array *la = btf_array(lt), *ta;

			if (!btf_is_array(t))
				return 0;
			ta = btf_array(t);
			if (ta->nelems && idx >= ta->nelems)
				return 0;
			sz = btf__resolve_size(tb, ta->type);
			if (sz < 0)
				return 0;
			targ->bit_off += (uint64_t)idx * (uint64_t)sz * 8;
			targ->bit_sz = 0;
			lt = skip_mods(lb, la->type, &lid);
			t = skip_mods(tb, ta->type, &tid);
		}
		if (!lt || !t)
			return 0;
		targ->field_id = tid;
	}
	targ->bitfield = targ->bit_sz != 0;
	return 1;
}

/* Field value of `spec` for relocation kind `kind` (libbpf's bpf_core_calc_field_relo). */
static int field_value(const struct core_spec *spec, uint32_t kind, uint64_t *val,
                       uint32_t *byte_sz_out, bool *validate)
{
	const struct btf_type *mt = skip_mods(spec->btf, spec->field_id, NULL);
	int64_t fsz = btf__resolve_size(spec->btf, spec->field_id);
	uint64_t byte_off, byte_sz, bit_sz;

	if (!mt || fsz < 0)
		return -EINVAL;
	if (!spec->bitfield) {
		byte_sz = (uint64_t)fsz;
		byte_off = spec->bit_off / 8;
		bit_sz = byte_sz * 8;
	} else {
		byte_sz = mt->size;
		if (!byte_sz)
			return -EINVAL;
		bit_sz = spec->bit_sz;
		byte_off = spec->bit_off / 8 / byte_sz * byte_sz;
		while (spec->bit_off + bit_sz - byte_off * 8 > byte_sz * 8) {
			if (byte_sz >= 8)
				return -EINVAL;
			byte_sz *= 2;
			byte_off = spec->bit_off / 8 / byte_sz * byte_sz;
		}
	}
	if (validate)
		*validate = !spec->bitfield;
	*byte_sz_out = spec->bitfield ? 0 : (uint32_t)byte_sz;
	switch (kind) {
	case CHECK_CORE_FIELD_BYTE_OFFSET:
		*val = byte_off;
		break;
	case CHECK_CORE_FIELD_BYTE_SIZE:
		*val = byte_sz;
		break;
	case CHECK_CORE_FIELD_SIGNED:
		*val = (btf_is_any_enum(mt) && btf_kflag(mt)) ||
		       (btf_is_int(mt) && (btf_int_encoding(mt) & BTF_INT_SIGNED));
		if (validate)
			*validate = true;
		break;
	case CHECK_CORE_FIELD_LSHIFT_U64:
		*val = 64 - (spec->bit_off + bit_sz - byte_off * 8);
		break;
	case CHECK_CORE_FIELD_RSHIFT_U64:
		*val = 64 - bit_sz;
		if (validate)
			*validate = true;
		break;
	case CHECK_CORE_FIELD_EXISTS:
		*val = 1;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static bool types_compat(const struct btf *lb, uint32_t lid, const struct btf *tb, uint32_t tid,
                         int depth)
{
	const struct btf_type *l = skip_mods(lb, lid, NULL), *t = skip_mods(tb, tid, NULL);

	if (!l || !t || depth > CORE_MAX_DEPTH)
		return false;
	if (!kinds_compat(l, t))
		return false;
	switch (btf_kind(l)) {
	case BTF_KIND_UNKN: /* void */
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
	case BTF_KIND_FLOAT:
		return true;
	case BTF_KIND_INT:
		return btf_int_offset(l) == 0 && btf_int_offset(t) == 0;
	case BTF_KIND_PTR:
		return types_compat(lb, l->type, tb, t->type, depth + 1);
	case BTF_KIND_ARRAY:
		return types_compat(lb, btf_array(l)->type, tb, btf_array(t)->type, depth + 1);
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *lp = btf_params(l), *tp = btf_params(t);

		if (btf_vlen(l) != btf_vlen(t))
			return false;
		for (unsigned i = 0; i < btf_vlen(l); i++)
			if (!types_compat(lb, lp[i].type, tb, tp[i].type, depth + 1))
				return false;
		return types_compat(lb, l->type, tb, t->type, depth + 1);
	}
	default:
		return false;
	}
}

/*
 * libbpf's TYPE_MATCHES relation (bpf_core_types_match, libbpf 1.0+ and the kernel's copy),
 * stricter than compatibility: after modifiers and typedefs both sides have the same kind
 * and name (modulo flavours; an anonymous target matches only an anonymous local); ints
 * match in size and signedness, arrays in length, enums when every local enumerator name
 * exists in the target and the sizes agree, structs and unions when every local member has
 * a target member of that name whose type matches, prototypes argument by argument.
 * Behind a pointer a struct or union only needs the same kind or a forward declaration of
 * it, and its members are not looked into.  1 match, 0 not, -EINVAL too deep or malformed.
 */
static bool match_names(const struct btf *lb, uint32_t loff, const struct btf *tb, uint32_t toff)
{
	const char *l = btf__name_by_offset(lb, loff), *t = btf__name_by_offset(tb, toff);

	if (!t || !*t)
		return !l || !*l;
	return l && names_match(l, t);
}

static int types_match(const struct btf *lb, uint32_t lid, const struct btf *tb, uint32_t tid,
                       bool behind_ptr, int level);

static int enums_match(const struct btf *lb, const struct btf_type *l, const struct btf *tb,
                       const struct btf_type *t)
{
	if (l->size != t->size || btf_vlen(l) > btf_vlen(t))
		return 0;
	for (unsigned i = 0; i < btf_vlen(l); i++) {
		uint32_t ln = btf_is_enum(l) ? btf_enum(l)[i].name_off : btf_enum64(l)[i].name_off;
		bool found = false;

		for (unsigned j = 0; j < btf_vlen(t) && !found; j++)
			found = match_names(lb, ln, tb,
			                    btf_is_enum(t) ? btf_enum(t)[j].name_off
			                                   : btf_enum64(t)[j].name_off);
		if (!found)
			return 0;
	}
	return 1;
}

static int composites_match(const struct btf *lb, const struct btf_type *l, const struct btf *tb,
                            const struct btf_type *t, bool behind_ptr, int level)
{
	const struct btf_member *lm = btf_members(l);

	if (btf_vlen(l) > btf_vlen(t))
		return 0;
	for (unsigned i = 0; i < btf_vlen(l); i++, lm++) {
		const struct btf_member *tm = btf_members(t);
		bool found = false;

		for (unsigned j = 0; j < btf_vlen(t) && !found; j++, tm++) {
			int r;

			if (!match_names(lb, lm->name_off, tb, tm->name_off))
				continue;
			r = types_match(lb, lm->type, tb, tm->type, behind_ptr, level - 1);
			if (r < 0)
				return r;
			found = r > 0;
		}
		if (!found)
			return 0;
	}
	return 1;
}

static int types_match(const struct btf *lb, uint32_t lid, const struct btf *tb, uint32_t tid,
                       bool behind_ptr, int level)
{
	for (int depth = 0; depth < CORE_MAX_DEPTH; depth++) {
		const struct btf_type *l, *t;
		unsigned lk, tk;

		if (level <= 0)
			return -EINVAL;
		l = skip_mods(lb, lid, &lid);
		t = skip_mods(tb, tid, &tid);
		if (!l || !t)
			return -EINVAL;
		if (!match_names(lb, l->name_off, tb, t->name_off))
			return 0;
		lk = btf_kind(l);
		tk = btf_kind(t);
		switch (lk) {
		case BTF_KIND_UNKN:
			return tk == BTF_KIND_UNKN;
		case BTF_KIND_FWD:
			if (behind_ptr && tk != BTF_KIND_FWD)
				return (tk == BTF_KIND_STRUCT && !btf_kflag(l)) ||
				       (tk == BTF_KIND_UNION && btf_kflag(l));
			return tk == BTF_KIND_FWD && btf_kflag(l) == btf_kflag(t);
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			return btf_is_any_enum(t) && enums_match(lb, l, tb, t);
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (behind_ptr) {
				if (lk == tk)
					return 1;
				return tk == BTF_KIND_FWD &&
				       (lk == BTF_KIND_UNION) == (bool)btf_kflag(t);
			}
			return lk == tk ? composites_match(lb, l, tb, t, behind_ptr, level) : 0;
		case BTF_KIND_INT:
			return tk == BTF_KIND_INT && btf_int_bits(l) == btf_int_bits(t) &&
			       (btf_int_encoding(l) & BTF_INT_SIGNED) ==
			           (btf_int_encoding(t) & BTF_INT_SIGNED);
		case BTF_KIND_PTR:
			if (tk != BTF_KIND_PTR)
				return 0;
			behind_ptr = true;
			lid = l->type;
			tid = t->type;
			continue;
		case BTF_KIND_ARRAY:
			if (tk != BTF_KIND_ARRAY || btf_array(l)->nelems != btf_array(t)->nelems)
				return 0;
			lid = btf_array(l)->type;
			tid = btf_array(t)->type;
			continue;
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *lp = btf_params(l), *tp = btf_params(t);

			if (tk != BTF_KIND_FUNC_PROTO || btf_vlen(l) != btf_vlen(t))
				return 0;
			for (unsigned i = 0; i < btf_vlen(l); i++) {
				int r = types_match(lb, lp[i].type, tb, tp[i].type, behind_ptr,
				                    level - 1);

				if (r <= 0)
					return r;
			}
			lid = l->type; /* the return type */
			tid = t->type;
			continue;
		}
		default:
			return 0;
		}
	}
	return -EINVAL;
}

static int enumerator(const struct btf *btf, const struct btf_type *t, uint32_t idx,
                      const char **name, int64_t *val)
{
	if (idx >= btf_vlen(t))
		return -EINVAL;
	if (btf_is_enum(t)) {
		const struct btf_enum *e = btf_enum(t) + idx;

		*name = btf__name_by_offset(btf, e->name_off);
		*val = btf_kflag(t) ? (int64_t)e->val : (int64_t)(uint32_t)e->val;
	} else {
		const struct btf_enum64 *e = btf_enum64(t) + idx;

		*name = btf__name_by_offset(btf, e->name_off);
		*val = (int64_t)btf_enum64_value(e);
	}
	if (!*name)
		*name = "";
	return 0;
}

/* Value for one candidate (0: matched, 1: no match, <0: malformed). */
static int candidate_value(const struct core_spec *local, const struct obj_core_relo *relo,
                           const struct btf *tb, uint32_t cand, uint64_t *val, uint32_t *sz)
{
	struct core_spec targ = {0};
	bool unused;

	*sz = 0;
	if (is_field_kind(relo->kind)) {
		if (!match_field(local, tb, cand, &targ))
			return 1;
		return field_value(&targ, relo->kind, val, sz, &unused) ? 1 : 0;
	}
	if (is_enum_kind(relo->kind)) {
		const struct btf_type *lt = skip_mods(local->btf, local->root_id, NULL);
		const struct btf_type *tt = skip_mods(tb, cand, NULL);
		const char *ln, *tn;
		int64_t lv, tv;

		if (enumerator(local->btf, lt, local->acc[0], &ln, &lv))
			return -EINVAL;
		for (unsigned i = 0; i < btf_vlen(tt); i++) {
			if (enumerator(tb, tt, i, &tn, &tv) == 0 && names_match(ln, tn)) {
				*val = relo->kind == CHECK_CORE_ENUMVAL_EXISTS ? 1 : (uint64_t)tv;
				return 0;
			}
		}
		return 1;
	}
	if (relo->kind == CHECK_CORE_TYPE_MATCHES) {
		int m = types_match(local->btf, local->root_id, tb, cand, false, CORE_MAX_DEPTH);

		if (m < 0)
			return m;
		if (m == 0)
			return 1;
	} else if (!types_compat(local->btf, local->root_id, tb, cand, 0)) {
		return 1;
	}
	switch (relo->kind) {
	case CHECK_CORE_TYPE_ID_TARGET:
		*val = cand;
		break;
	case CHECK_CORE_TYPE_EXISTS:
	case CHECK_CORE_TYPE_MATCHES:
		*val = 1;
		break;
	case CHECK_CORE_TYPE_SIZE: {
		int64_t s = btf__resolve_size(tb, cand);

		if (s < 0)
			return 1;
		*val = (uint64_t)s;
		break;
	}
	default:
		return -EINVAL;
	}
	return 0;
}

/* The local value and the spelled spec. */
static int local_value(struct core_spec *spec, const struct obj_core_relo *relo,
                       struct check_core_res *res)
{
	const struct btf_type *t = btf__type_by_id(spec->btf, spec->root_id);
	const char *n = tname(spec->btf, t);

	if (!t)
		return -EINVAL;
	if (is_field_kind(relo->kind)) {
		if (local_field_spec(spec, res->spec, sizeof(res->spec)))
			return -EINVAL;
		return field_value(spec, relo->kind, &res->orig_val, &res->orig_sz, &res->validate);
	}
	if (is_enum_kind(relo->kind)) {
		const struct btf_type *et = skip_mods(spec->btf, spec->root_id, NULL);
		const char *en;
		int64_t v;

		if (!et || !btf_is_any_enum(et) || enumerator(spec->btf, et, spec->acc[0], &en, &v))
			return -EINVAL;
		snprintf(res->spec, sizeof(res->spec), "%s::%s", n, en);
		res->orig_val = relo->kind == CHECK_CORE_ENUMVAL_EXISTS ? 1 : (uint64_t)v;
		return 0;
	}
	snprintf(res->spec, sizeof(res->spec), "%s", n);
	switch (relo->kind) {
	case CHECK_CORE_TYPE_ID_LOCAL:
	case CHECK_CORE_TYPE_ID_TARGET:
		res->orig_val = spec->root_id;
		return 0;
	case CHECK_CORE_TYPE_EXISTS:
	case CHECK_CORE_TYPE_MATCHES:
		res->orig_val = 1;
		return 0;
	case CHECK_CORE_TYPE_SIZE: {
		int64_t s = btf__resolve_size(spec->btf, spec->root_id);

		if (s < 0)
			return -EINVAL;
		res->orig_val = (uint64_t)s;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

/* One candidate: 1 skip it, 0 taken (found/new_val updated), or the error to return. */
static int core_candidate(const struct core_spec *spec, const struct obj_core_relo *relo,
                          const struct btf *target, uint32_t id, const struct btf_type *lt,
                          const char *lname, bool *found, struct check_core_res *res,
                          const char **why)
{
	const struct btf_type *t = btf__type_by_id(target, id);
	uint64_t v = 0;
	uint32_t sz = 0;
	int r;

	/* the first byte first: essential names are compared on ~10^5 kernel types */
	if (!t || !kinds_compat(t, lt) || tname(target, t)[0] != lname[0] ||
	    !names_match(tname(target, t), lname))
		return 1;
	r = candidate_value(spec, relo, target, id, &v, &sz);
	if (r)
		return r;
	if (*found && v != res->new_val) {
		if (why)
			*why = "relocation decision ambiguity";
		return -EINVAL;
	}
	*found = true;
	res->new_val = v;
	res->new_sz = sz;
	return 0;
}

int check_core_calc(const struct btf *local, const struct obj_core_relo *relo,
                    const struct btf *target, struct check_core_res *res, const char **why)
{
	return check_core_calc_idx(local, relo, target, NULL, res, why);
}

int check_core_calc_idx(const struct btf *local, const struct obj_core_relo *relo,
                        const struct btf *target, const struct check_core_index *idx,
                        struct check_core_res *res, const char **why)
{
	struct core_spec spec = {.btf = local, .root_id = relo->type_id};
	const struct btf_type *lt;
	const char *lname;
	bool found = false;
	uint32_t n;

	memset(res, 0, sizeof(*res));
	res->validate = true;
	res->exists_kind =
	    relo->kind == CHECK_CORE_FIELD_EXISTS || relo->kind == CHECK_CORE_TYPE_EXISTS ||
	    relo->kind == CHECK_CORE_ENUMVAL_EXISTS || relo->kind == CHECK_CORE_TYPE_MATCHES;
	if (why)
		*why = "malformed CO-RE relocation record";
	if (!local || relo->kind > CHECK_CORE_TYPE_MATCHES || !relo->access ||
	    parse_access(relo->access, &spec) || local_value(&spec, relo, res))
		return -EINVAL;
	if (is_field_kind(relo->kind)) {
		const struct btf_type *rt = btf__type_by_id(local, relo->type_id);

		snprintf(res->kernel_spec, sizeof(res->kernel_spec),
		         "<%s> [%u] %s %s (%s @ offset %llu)", obj_core_relo_kind_name(relo->kind),
		         relo->type_id, kind_str(rt), res->spec, relo->access,
		         (unsigned long long)(spec.bit_off / 8));
	}
	res->new_val = res->orig_val;
	res->new_sz = res->orig_sz;
	if (relo->kind == CHECK_CORE_TYPE_ID_LOCAL || !target)
		return 0;

	lt = btf__type_by_id(local, relo->type_id);
	lname = tname(local, lt);
	if (!*lname)
		return -EINVAL;
	if (idx && idx->btf == target) {
		for (uint32_t id = idx->head[core_hash(lname) & (idx->nbuckets - 1)]; id;
		     id = idx->next[id]) {
			int r =
			    core_candidate(&spec, relo, target, id, lt, lname, &found, res, why);

			if (r < 0)
				return r;
		}
	} else {
		n = btf__type_cnt(target);
		for (uint32_t id = 1; id < n; id++) {
			int r =
			    core_candidate(&spec, relo, target, id, lt, lname, &found, res, why);

			if (r < 0)
				return r;
		}
	}
	if (found)
		return 0;
	res->new_sz = 0;
	if (res->exists_kind || (!is_field_kind(relo->kind) && !is_enum_kind(relo->kind))) {
		res->new_val = 0;
		return 0;
	}
	res->poison = true;
	return 0;
}

bool check_btf_types_compat(const struct btf *local, uint32_t local_id, const struct btf *target,
                            uint32_t target_id)
{
	return types_compat(local, local_id, target, target_id, 0);
}

struct check_core_index *check_core_index_new(const struct btf *target)
{
	struct check_core_index *idx;
	uint32_t n, id;

	if (!target)
		return NULL;
	n = btf__type_cnt(target);
	idx = calloc(1, sizeof(*idx));
	if (!idx)
		return NULL;
	idx->btf = target;
	idx->nbuckets = 1024;
	while (idx->nbuckets < n && idx->nbuckets < (1u << 24))
		idx->nbuckets <<= 1;
	idx->head = calloc(idx->nbuckets, sizeof(*idx->head));
	idx->next = calloc(n ? n : 1, sizeof(*idx->next));
	if (!idx->head || !idx->next) {
		check_core_index_free(idx);
		return NULL;
	}
	/* pushed from the last id down, so each chain lists ids in increasing order, as the
	 * scan meets them */
	for (id = n; id-- > 1;) {
		const char *name = tname(target, btf__type_by_id(target, id));
		uint32_t b;

		if (!*name)
			continue;
		b = core_hash(name) & (idx->nbuckets - 1);
		idx->next[id] = idx->head[b];
		idx->head[b] = id;
	}
	return idx;
}

void check_core_index_free(struct check_core_index *idx)
{
	if (!idx)
		return;
	free(idx->head);
	free(idx->next);
	free(idx);
}
