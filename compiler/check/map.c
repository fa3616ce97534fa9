/*
 * map.c - would the kernel create this map?
 *
 * BPF_MAP_CREATE first applies checks common to all map types (map_extra only for bloom
 * filters and arenas, BPF_F_RDONLY together with BPF_F_WRONLY refused), then the map
 * type's own map_alloc_check() and map_alloc(): key and value sizes, max_entries, the
 * map_flags the type accepts, and limits that fail with E2BIG instead of EINVAL.  The
 * per-type data (family of rules, accepted flags) is map_rules.def; this file holds the
 * rules of each family, in the order the kernel applies them, so the errno of the first
 * violation is the kernel's.
 *
 * Constants are those of x86-64 with 4 KiB pages: KMALLOC_MAX_SIZE 4 MiB, the per-CPU
 * allocator's 32 KiB unit, the default kernel.perf_event_max_stack of 127.
 */
#include "check/check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAP_PAGE_SIZE         4096u
#define MAP_KMALLOC_MAX       (4u << 20)
#define MAP_MAX_BPF_STACK     512u
#define MAP_HTAB_ELEM         48u /* sizeof(struct htab_elem) without the key */
#define MAP_PCPU_MIN_UNIT     32768u
#define MAP_PERF_MAX_STACK    127u
#define MAP_STACK_BUILD_ID_SZ 32u /* sizeof(struct bpf_stack_build_id) */
#define MAP_LPM_KEY_MIN       5u  /* sizeof(struct bpf_lpm_trie_key_u8) + 1 */
#define MAP_LPM_KEY_MAX       260u
#define MAP_LPM_NODE          48u /* sizeof(struct lpm_trie_node) */
#define MAP_CGROUP_KEY        16u /* sizeof(struct bpf_cgroup_storage_key) */
#define MAP_ENOTSUPP          524 /* the kernel-internal ENOTSUPP */

enum map_family {
	FAM_NONE,
	FAM_HTAB,
	FAM_FD_HTAB,
	FAM_ARRAY,
	FAM_FD_ARRAY,
	FAM_STACK_TRACE,
	FAM_LPM,
	FAM_QUEUE,
	FAM_BLOOM,
	FAM_RINGBUF,
	FAM_DEVMAP,
	FAM_CPUMAP,
	FAM_XSKMAP,
	FAM_SOCKMAP,
	FAM_SOCKHASH,
	FAM_REUSEPORT,
	FAM_CGROUP_STORAGE,
	FAM_LOCAL_STORAGE,
	FAM_STRUCT_OPS,
	FAM_ARENA,
};

struct map_rule {
	enum map_family family;
	uint32_t flags;
};

static const struct map_rule rules[CHECK_MAP_TYPE_COUNT] = {
#define CHECK_MAP_RULE(type, fam, mask) [CHECK_MAP_##type] = {FAM_##fam, (mask)},
#include "check/map_rules.def"
#undef CHECK_MAP_RULE
};

static const char *const flag_names[] = {
    "BPF_F_NO_PREALLOC", "BPF_F_NO_COMMON_LRU",  "BPF_F_NUMA_NODE",    "BPF_F_RDONLY",
    "BPF_F_WRONLY",      "BPF_F_STACK_BUILD_ID", "BPF_F_ZERO_SEED",    "BPF_F_RDONLY_PROG",
    "BPF_F_WRONLY_PROG", "BPF_F_CLONE",          "BPF_F_MMAPABLE",     "BPF_F_PRESERVE_ELEMS",
    "BPF_F_INNER_MAP",   "BPF_F_LINK",           "BPF_F_PATH_FD",      "BPF_F_VTYPE_BTF_OBJ_FD",
    "BPF_F_TOKEN_FD",    "BPF_F_SEGV_ON_FAULT",  "BPF_F_NO_USER_CONV",
};

/* The state of one evaluation: the first errno, its reason, and where to report. */
struct map_eval {
	const struct check_map_def *def;
	struct diag_sink *sink;
	int err;
	const char *why;
};

static void map_fail(struct map_eval *ev, int err, const char *rule, const char *why,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void map_fail(struct map_eval *ev, int err, const char *rule, const char *why,
                     const char *fmt, ...)
{
	char detail[320], msg[420], kmsg[48];
	va_list ap;

	if (!ev->err) {
		ev->err = err;
		ev->why = why;
	}
	if (!ev->sink)
		return;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "map '%s': %s", ev->def->name ? ev->def->name : "?", detail);
	snprintf(kmsg, sizeof(kmsg), "BPF_MAP_CREATE fails with %s",
	         err == E2BIG          ? "E2BIG"
	         : err == EBADF        ? "EBADF"
	         : err == MAP_ENOTSUPP ? "ENOTSUPP (524)"
	                               : "EINVAL");
	struct diag d = {
	    .level = DIAG_ERROR,
	    .rule = rule,
	    .loc = ev->def->loc,
	    .insn = -1,
	    .message = msg,
	    .kernel_msg = kmsg,
	};
	diag_emit(ev->sink, &d);
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static uint32_t round8(uint32_t v)
{
	return (uint32_t)(((uint64_t)v + 7) & ~7ull);
}

static void flags_names(uint32_t flags, char *buf, size_t size)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < 32 && off < size; i++) {
		if (!(flags & (1u << i)))
			continue;
		off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? " | " : "",
		                        i < sizeof(flag_names) / sizeof(flag_names[0])
		                            ? flag_names[i]
		                            : "unknown flag");
	}
}

/* Flags outside the type's mask; RDONLY_PROG with WRONLY_PROG (bpf_map_flags_access_ok). */
static void check_flags(struct map_eval *ev, uint32_t mask, bool access_check)
{
	const struct check_map_def *d = ev->def;
	uint32_t bad = d->map_flags & ~mask;
	char names[256];

	if (bad) {
		flags_names(bad, names, sizeof(names));
		map_fail(ev, EINVAL, "check-map-flags", "map_flags not accepted by the map type",
		         "%s maps do not accept %s", check_map_type_name(d->type), names);
	}
	if (access_check && (d->map_flags & CHECK_F_RDONLY_PROG) &&
	    (d->map_flags & CHECK_F_WRONLY_PROG))
		map_fail(ev, EINVAL, "check-map-flags", "BPF_F_RDONLY_PROG with BPF_F_WRONLY_PROG",
		         "BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG exclude each other");
}

static void need_key(struct map_eval *ev, uint32_t want)
{
	if (ev->def->key_size != want)
		map_fail(ev, EINVAL, "check-map-key-size", "wrong key size",
		         "key_size is %u, %s maps need %u", ev->def->key_size,
		         check_map_type_name(ev->def->type), want);
}

static void need_value(struct map_eval *ev, uint32_t want)
{
	if (ev->def->value_size != want)
		map_fail(ev, EINVAL, "check-map-value-size", "wrong value size",
		         "value_size is %u, %s maps need %u", ev->def->value_size,
		         check_map_type_name(ev->def->type), want);
}

static void need_value_4_or_8(struct map_eval *ev, const char *what8)
{
	uint32_t v = ev->def->value_size;

	if (v != 4 && v != 8)
		map_fail(ev, EINVAL, "check-map-value-size", "value size must be 4 or 8",
		         "value_size is %u, %s maps need 4 (ifindex/fd) or 8 (%s)", v,
		         check_map_type_name(ev->def->type), what8);
}

static void need_nonzero(struct map_eval *ev, uint32_t v, const char *field, const char *rule)
{
	if (v == 0)
		map_fail(ev, EINVAL, rule, "zero size or entries", "%s must not be 0 for %s maps",
		         field, check_map_type_name(ev->def->type));
}

static void need_zero(struct map_eval *ev, uint32_t v, const char *field, const char *rule)
{
	if (v != 0)
		map_fail(ev, EINVAL, rule, "must be 0", "%s is %u, %s maps need 0", field, v,
		         check_map_type_name(ev->def->type));
}

static void check_percpu_value(struct map_eval *ev, uint32_t limit)
{
	if (round8(ev->def->value_size) > limit)
		map_fail(ev, E2BIG, "check-map-value-size", "per-CPU value too large",
		         "value_size %u is over the per-CPU limit of %u bytes", ev->def->value_size,
		         limit);
}

static void check_inner(struct map_eval *ev)
{
	const struct check_map_def *in = ev->def->inner;
	const char *why;

	if (!in) {
		map_fail(ev, EBADF, "check-map-inner", "map-in-map without inner map",
		         "map-in-map needs an inner map definition (__array(values, ...))");
		return;
	}
	if (in->type == CHECK_MAP_ARRAY_OF_MAPS || in->type == CHECK_MAP_HASH_OF_MAPS) {
		map_fail(ev, EINVAL, "check-map-inner", "nested map-in-map",
		         "the inner map may not itself be a map-in-map");
		return;
	}
	if (check_map_verdict(in, &why))
		map_fail(ev, EINVAL, "check-map-inner", "invalid inner map",
		         "the inner map definition is invalid: %s", why);
}

static void eval_array(struct map_eval *ev, uint32_t mask)
{
	const struct check_map_def *d = ev->def;
	bool percpu = d->type == CHECK_MAP_PERCPU_ARRAY;

	need_nonzero(ev, d->max_entries, "max_entries", "check-map-max-entries");
	need_key(ev, 4);
	need_nonzero(ev, d->value_size, "value_size", "check-map-value-size");
	check_flags(ev, mask, true);
	if (percpu && (d->map_flags & CHECK_F_NUMA_NODE))
		map_fail(ev, EINVAL, "check-map-flags", "BPF_F_NUMA_NODE on a per-CPU map",
		         "per-CPU arrays do not accept BPF_F_NUMA_NODE");
	if (d->type != CHECK_MAP_ARRAY && (d->map_flags & (CHECK_F_MMAPABLE | CHECK_F_INNER_MAP)))
		map_fail(ev, EINVAL, "check-map-flags",
		         "BPF_F_MMAPABLE/BPF_F_INNER_MAP not on array",
		         "only BPF_MAP_TYPE_ARRAY accepts BPF_F_MMAPABLE and BPF_F_INNER_MAP");
	if (d->type != CHECK_MAP_PERF_EVENT_ARRAY && (d->map_flags & CHECK_F_PRESERVE_ELEMS))
		map_fail(ev, EINVAL, "check-map-flags", "BPF_F_PRESERVE_ELEMS not on perf array",
		         "only perf event arrays accept BPF_F_PRESERVE_ELEMS");
	if (percpu)
		check_percpu_value(ev, MAP_PCPU_MIN_UNIT);
}

static void eval_htab(struct map_eval *ev)
{
	const struct check_map_def *d = ev->def;
	bool percpu = d->type == CHECK_MAP_PERCPU_HASH || d->type == CHECK_MAP_LRU_PERCPU_HASH;
	bool lru = d->type == CHECK_MAP_LRU_HASH || d->type == CHECK_MAP_LRU_PERCPU_HASH;
	bool percpu_lru = d->map_flags & CHECK_F_NO_COMMON_LRU;

	check_flags(ev, rules[d->type].flags, true);
	if (!lru && percpu_lru)
		map_fail(ev, EINVAL, "check-map-flags", "BPF_F_NO_COMMON_LRU without LRU",
		         "BPF_F_NO_COMMON_LRU is only for LRU hash maps");
	if (lru && (d->map_flags & CHECK_F_NO_PREALLOC))
		map_fail(ev, MAP_ENOTSUPP, "check-map-flags", "BPF_F_NO_PREALLOC on LRU",
		         "LRU hash maps are always preallocated: drop BPF_F_NO_PREALLOC");
	if ((d->map_flags & CHECK_F_NUMA_NODE) && (percpu || percpu_lru))
		map_fail(ev, EINVAL, "check-map-flags", "BPF_F_NUMA_NODE on a per-CPU map",
		         "per-CPU hash maps do not accept BPF_F_NUMA_NODE");
	need_nonzero(ev, d->max_entries, "max_entries", "check-map-max-entries");
	need_nonzero(ev, d->key_size, "key_size", "check-map-key-size");
	need_nonzero(ev, d->value_size, "value_size", "check-map-value-size");
	if (d->key_size > MAP_MAX_BPF_STACK)
		map_fail(ev, E2BIG, "check-map-key-size", "key larger than the BPF stack",
		         "key_size %u is larger than the 512-byte BPF stack", d->key_size);
	if (d->value_size >= MAP_KMALLOC_MAX - MAP_MAX_BPF_STACK - MAP_HTAB_ELEM)
		map_fail(ev, E2BIG, "check-map-value-size", "value too large",
		         "value_size %u is too large for a hash map element", d->value_size);
	if (percpu)
		check_percpu_value(ev, MAP_PCPU_MIN_UNIT);
}

static void eval_stack_trace(struct map_eval *ev)
{
	const struct check_map_def *d = ev->def;
	uint32_t v = d->value_size;

	check_flags(ev, rules[d->type].flags, false);
	need_nonzero(ev, d->max_entries, "max_entries", "check-map-max-entries");
	need_key(ev, 4);
	if (v < 8 || v % 8) {
		map_fail(ev, EINVAL, "check-map-value-size", "stack trace value not 8-byte frames",
		         "value_size %u is not a non-zero multiple of 8 (one u64 per frame)", v);
		return;
	}
	if (d->map_flags & CHECK_F_STACK_BUILD_ID) {
		if (v % MAP_STACK_BUILD_ID_SZ || v / MAP_STACK_BUILD_ID_SZ > MAP_PERF_MAX_STACK)
			map_fail(ev, EINVAL, "check-map-value-size",
			         "bad build-id stack value size",
			         "with BPF_F_STACK_BUILD_ID value_size %u must be a multiple of %u "
			         "and at most %u frames",
			         v, MAP_STACK_BUILD_ID_SZ, MAP_PERF_MAX_STACK);
	} else if (v / 8 > MAP_PERF_MAX_STACK) {
		map_fail(ev, EINVAL, "check-map-value-size", "too many stack frames",
		         "value_size %u holds %u frames, more than kernel.perf_event_max_stack "
		         "(default %u)",
		         v, v / 8, MAP_PERF_MAX_STACK);
	}
	if (d->max_entries > (1u << 31))
		map_fail(ev, E2BIG, "check-map-max-entries", "too many entries",
		         "max_entries %u is over 2^31", d->max_entries);
}

static void eval_lpm(struct map_eval *ev)
{
	const struct check_map_def *d = ev->def;

	need_nonzero(ev, d->max_entries, "max_entries", "check-map-max-entries");
	if (!(d->map_flags & CHECK_F_NO_PREALLOC))
		map_fail(ev, EINVAL, "check-map-flags", "LPM trie without BPF_F_NO_PREALLOC",
		         "LPM tries must be created with BPF_F_NO_PREALLOC");
	check_flags(ev, rules[d->type].flags, true);
	if (d->key_size < MAP_LPM_KEY_MIN || d->key_size > MAP_LPM_KEY_MAX)
		map_fail(ev, EINVAL, "check-map-key-size", "LPM key size out of range",
		         "key_size %u is outside [%u, %u] (4-byte prefix length + 1..256 data "
		         "bytes)",
		         d->key_size, MAP_LPM_KEY_MIN, MAP_LPM_KEY_MAX);
	if (d->value_size < 1 || d->value_size > MAP_KMALLOC_MAX - 256 - MAP_LPM_NODE)
		map_fail(ev, EINVAL, "check-map-value-size", "LPM value size out of range",
		         "value_size %u is outside the LPM trie's range", d->value_size);
}

static void eval_queue(struct map_eval *ev, bool bloom)
{
	const struct check_map_def *d = ev->def;

	need_nonzero(ev, d->max_entries, "max_entries", "check-map-max-entries");
	need_zero(ev, d->key_size, "key_size", "check-map-key-size");
	need_nonzero(ev, d->value_size, "value_size", "check-map-value-size");
	check_flags(ev, rules[d->type].flags, true);
	if (bloom && (d->map_extra & ~0xfull))
		map_fail(ev, EINVAL, "check-map-extra", "bloom filter map_extra over 15",
		         "map_extra %llu: only its low 4 bits (number of hash functions, 0-15) "
		         "may be set",
		         (unsigned long long)d->map_extra);
	if (d->value_size > MAP_KMALLOC_MAX)
		map_fail(ev, E2BIG, "check-map-value-size", "value too large",
		         "value_size %u is over 4 MiB", d->value_size);
}

static void eval_ringbuf(struct map_eval *ev)
{
	const struct check_map_def *d = ev->def;

	check_flags(ev, rules[d->type].flags, false);
	need_zero(ev, d->key_size, "key_size", "check-map-key-size");
	need_zero(ev, d->value_size, "value_size", "check-map-value-size");
	if (!is_pow2(d->max_entries) || d->max_entries % MAP_PAGE_SIZE)
		map_fail(ev, EINVAL, "check-map-max-entries", "ring buffer size",
		         "max_entries %u (the ring buffer's size in bytes) must be a power of 2 "
		         "and a multiple of the page size (%u)",
		         d->max_entries, MAP_PAGE_SIZE);
}

static void eval_cgroup_storage(struct map_eval *ev)
{
	const struct check_map_def *d = ev->def;
	uint32_t limit = MAP_PAGE_SIZE; /* min(PAGE_SIZE, PCPU_MIN_UNIT_SIZE) for per-CPU too */

	if (d->key_size != MAP_CGROUP_KEY && d->key_size != 8)
		map_fail(ev, EINVAL, "check-map-key-size", "cgroup storage key size",
		         "key_size is %u, cgroup storage needs 8 (cgroup id) or %u (struct "
		         "bpf_cgroup_storage_key)",
		         d->key_size, MAP_CGROUP_KEY);
	need_nonzero(ev, d->value_size, "value_size", "check-map-value-size");
	if (d->value_size > limit)
		map_fail(ev, E2BIG, "check-map-value-size", "value too large",
		         "value_size %u is over %u bytes", d->value_size, limit);
	check_flags(ev, rules[d->type].flags, true);
	need_zero(ev, d->max_entries, "max_entries", "check-map-max-entries");
}

static void eval_local_storage(struct map_eval *ev)
{
	const struct check_map_def *d = ev->def;

	check_flags(ev, rules[d->type].flags, false);
	if (!(d->map_flags & CHECK_F_NO_PREALLOC))
		map_fail(ev, EINVAL, "check-map-flags", "local storage without BPF_F_NO_PREALLOC",
		         "local storage maps must be created with BPF_F_NO_PREALLOC");
	need_zero(ev, d->max_entries, "max_entries", "check-map-max-entries");
	need_key(ev, 4);
	need_nonzero(ev, d->value_size, "value_size", "check-map-value-size");
	if (!d->has_btf)
		map_fail(ev, EINVAL, "check-map-btf", "local storage without BTF",
		         "local storage maps need BTF for key and value (define the map in "
		         "SEC(\".maps\") with __type(key, int) and __type(value, ...))");
}

static void eval_arena(struct map_eval *ev)
{
	const struct check_map_def *d = ev->def;
	uint64_t range = (uint64_t)d->max_entries * MAP_PAGE_SIZE;

	need_zero(ev, d->key_size, "key_size", "check-map-key-size");
	need_zero(ev, d->value_size, "value_size", "check-map-value-size");
	need_nonzero(ev, d->max_entries, "max_entries", "check-map-max-entries");
	if (!(d->map_flags & CHECK_F_MMAPABLE))
		map_fail(ev, EINVAL, "check-map-flags", "arena without BPF_F_MMAPABLE",
		         "arenas must be created with BPF_F_MMAPABLE");
	check_flags(ev, rules[d->type].flags, false);
	if (d->map_extra & (MAP_PAGE_SIZE - 1))
		map_fail(ev, EINVAL, "check-map-extra", "arena address not page-aligned",
		         "map_extra (the arena's user address) 0x%llx is not page-aligned",
		         (unsigned long long)d->map_extra);
	if (range > (1ull << 32))
		map_fail(ev, E2BIG, "check-map-max-entries", "arena over 4 GiB",
		         "max_entries %u pages is more than 4 GiB", d->max_entries);
	else if (range && (d->map_extra >> 32) != ((d->map_extra + range - 1) >> 32))
		map_fail(ev, ERANGE, "check-map-extra", "arena crosses a 4 GiB boundary",
		         "the arena [0x%llx, +%llu) crosses a 4 GiB boundary",
		         (unsigned long long)d->map_extra, (unsigned long long)range);
}

static void map_eval_run(struct map_eval *ev)
{
	const struct check_map_def *d = ev->def;
	enum map_family fam;

	if (d->type >= CHECK_MAP_TYPE_COUNT || rules[d->type].family == FAM_NONE) {
		map_fail(ev, EINVAL, "check-map-type", "unknown map type", "unknown map type %u",
		         d->type);
		return;
	}
	fam = rules[d->type].family;
	if (d->map_extra && fam != FAM_BLOOM && fam != FAM_ARENA)
		map_fail(ev, EINVAL, "check-map-extra", "map_extra on a type without it",
		         "map_extra is only for bloom filters and arenas");
	if ((d->map_flags & CHECK_F_RDONLY) && (d->map_flags & CHECK_F_WRONLY))
		map_fail(ev, EINVAL, "check-map-flags", "BPF_F_RDONLY with BPF_F_WRONLY",
		         "BPF_F_RDONLY and BPF_F_WRONLY exclude each other");

	switch (fam) {
	case FAM_NONE:
		break;
	case FAM_HTAB:
		eval_htab(ev);
		break;
	case FAM_FD_HTAB:
		need_value(ev, 4);
		eval_htab(ev);
		check_inner(ev);
		break;
	case FAM_ARRAY:
		eval_array(ev, rules[d->type].flags);
		break;
	case FAM_FD_ARRAY:
		need_value(ev, 4);
		if (d->map_flags & (CHECK_F_RDONLY_PROG | CHECK_F_WRONLY_PROG))
			map_fail(ev, EINVAL, "check-map-flags", "program access flags on fd array",
			         "%s maps do not accept BPF_F_RDONLY_PROG/BPF_F_WRONLY_PROG",
			         check_map_type_name(d->type));
		eval_array(ev, rules[d->type].flags);
		if (d->type == CHECK_MAP_ARRAY_OF_MAPS)
			check_inner(ev);
		break;
	case FAM_REUSEPORT:
		need_value_4_or_8(ev, "socket cookie");
		eval_array(ev, rules[d->type].flags);
		break;
	case FAM_STACK_TRACE:
		eval_stack_trace(ev);
		break;
	case FAM_LPM:
		eval_lpm(ev);
		break;
	case FAM_QUEUE:
		eval_queue(ev, false);
		break;
	case FAM_BLOOM:
		eval_queue(ev, true);
		break;
	case FAM_RINGBUF:
		eval_ringbuf(ev);
		break;
	case FAM_DEVMAP:
		need_nonzero(ev, d->max_entries, "max_entries", "check-map-max-entries");
		need_key(ev, 4);
		need_value_4_or_8(ev, "ifindex + program fd");
		check_flags(ev, rules[d->type].flags, false);
		break;
	case FAM_CPUMAP:
		need_nonzero(ev, d->max_entries, "max_entries", "check-map-max-entries");
		need_key(ev, 4);
		need_value_4_or_8(ev, "queue size + program fd");
		check_flags(ev, rules[d->type].flags, false);
		break;
	case FAM_XSKMAP:
		need_nonzero(ev, d->max_entries, "max_entries", "check-map-max-entries");
		need_key(ev, 4);
		need_value(ev, 4);
		check_flags(ev, rules[d->type].flags, false);
		break;
	case FAM_SOCKMAP:
	case FAM_SOCKHASH:
		need_nonzero(ev, d->max_entries, "max_entries", "check-map-max-entries");
		if (fam == FAM_SOCKMAP)
			need_key(ev, 4);
		else
			need_nonzero(ev, d->key_size, "key_size", "check-map-key-size");
		need_value_4_or_8(ev, "socket cookie");
		check_flags(ev, rules[d->type].flags, false);
		if (fam == FAM_SOCKHASH && d->key_size > MAP_MAX_BPF_STACK)
			map_fail(ev, E2BIG, "check-map-key-size", "key larger than the BPF stack",
			         "key_size %u is larger than the 512-byte BPF stack", d->key_size);
		break;
	case FAM_CGROUP_STORAGE:
		eval_cgroup_storage(ev);
		break;
	case FAM_LOCAL_STORAGE:
		eval_local_storage(ev);
		break;
	case FAM_STRUCT_OPS:
		need_key(ev, 4);
		if (d->max_entries != 1)
			map_fail(ev, EINVAL, "check-map-max-entries",
			         "struct_ops max_entries not 1",
			         "max_entries is %u, struct_ops maps need 1", d->max_entries);
		check_flags(ev, rules[d->type].flags, false);
		if (!d->has_btf)
			map_fail(ev, EINVAL, "check-map-btf", "struct_ops without BTF",
			         "struct_ops maps need the kernel struct's BTF type");
		break;
	case FAM_ARENA:
		eval_arena(ev);
		break;
	}
}

int check_map_verdict(const struct check_map_def *def, const char **why)
{
	struct map_eval ev = {.def = def};

	if (why)
		*why = NULL;
	if (!def)
		return EINVAL;
	map_eval_run(&ev);
	if (why)
		*why = ev.why;
	return ev.err;
}

int check_map_def(const struct check_map_def *def, struct diag_sink *sink)
{
	struct map_eval ev = {.def = def, .sink = sink};

	if (!def)
		return -EINVAL;
	map_eval_run(&ev);
	return ev.err ? -EINVAL : 0;
}
