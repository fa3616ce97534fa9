/*
 * kconfig.c - __kconfig externs resolved as libbpf 1.1 resolves them.
 *
 * libbpf sorts the C type of each extern into bool, char, integer, tristate or char array
 * when it opens the object (find_kcfg_type; anything else: "type is unsupported"), and at
 * load time fills the .kconfig map: LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE and
 * LINUX_HAS_SYSCALL_WRAPPER it computes itself, other LINUX_ names read 0 when weak and
 * fail otherwise, and CONFIG_ names come from the kernel's config (/boot/config-$(uname
 * -r), else /proc/config.gz), line by line: a 'y', 'n' or 'm' value needs a bool (not
 * 'm'), tristate or char; a quoted one a char array (longer strings are truncated); a
 * number an integer or char it fits in.  An option the config does not set leaves the
 * extern unset: 0 when weak, a failed load ("(strong): not resolved") otherwise.  The
 * messages quoted in `why` are libbpf's.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>

#include "check/check.h"

#define KCFG_MAX_DEPTH 32
#define KCFG_MAX_FILE  (64u << 20) /* a config is ~250 KiB; refuse anything absurd */

struct kcfg_line {
	const char *name; /* "CONFIG_HZ", NUL-terminated inside text */
	const char *value;
};

struct check_kconfig {
	char *text; /* owned copy, split into lines */
	struct kcfg_line *lines;
	size_t nr_lines;
	uint32_t kernel_version; /* 0: unknown */
};

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

int check_kcfg_type(const struct btf *btf, uint32_t type_id, struct check_kcfg_ext *out)
{
	const struct btf_type *t = btf ? btf__type_by_id(btf, type_id) : NULL;
	const char *name;
	int64_t size;

	out->type = CHECK_KCFG_UNKNOWN;
	out->is_signed = false;
	out->size = 0;
	for (int i = 0; t && (btf_is_mod(t) || btf_is_typedef(t)); i++) {
		if (i > KCFG_MAX_DEPTH)
			return -EINVAL;
		type_id = t->type;
		t = btf__type_by_id(btf, type_id);
	}
	if (!t)
		return -EINVAL;
	size = btf__resolve_size(btf, type_id);
	if (size <= 0 || size > UINT32_MAX)
		return -EINVAL;
	out->size = (uint32_t)size;
	name = btf__name_by_offset(btf, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_INT: {
		uint8_t enc = btf_int_encoding(t);

		if (enc & BTF_INT_BOOL) {
			out->type = t->size == 1 ? CHECK_KCFG_BOOL : CHECK_KCFG_UNKNOWN;
			break;
		}
		out->is_signed = enc & BTF_INT_SIGNED;
		if (t->size == 1)
			out->type = CHECK_KCFG_CHAR;
		else if (t->size == 2 || t->size == 4 || t->size == 8)
			out->type = CHECK_KCFG_INT;
		break;
	}
	case BTF_KIND_ENUM:
		if (t->size == 4 && name && strcmp(name, "libbpf_tristate") == 0)
			out->type = CHECK_KCFG_TRISTATE;
		break;
	case BTF_KIND_ENUM64:
		if (name && strcmp(name, "libbpf_tristate") == 0)
			out->type = CHECK_KCFG_TRISTATE;
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_type *e = btf__type_by_id(btf, btf_array(t)->type);

		/* a char element: a 1-byte non-bool integer behind modifiers and typedefs */
		for (int i = 0; e && (btf_is_mod(e) || btf_is_typedef(e)) && i <= KCFG_MAX_DEPTH;
		     i++)
			e = btf__type_by_id(btf, e->type);
		if (btf_array(t)->nelems && e && btf_is_int(e) && e->size == 1 &&
		    !(btf_int_encoding(e) & BTF_INT_BOOL))
			out->type = CHECK_KCFG_CHAR_ARR;
		break;
	}
	default:
		break;
	}
	return out->type == CHECK_KCFG_UNKNOWN ? -EINVAL : 0;
}

/* ---- the config ------------------------------------------------------------------------ */

struct check_kconfig *check_kconfig_parse(const char *text, size_t len)
{
	struct check_kconfig *kc = calloc(1, sizeof(*kc));
	size_t cap = 0;
	char *p, *end;

	if (!kc)
		return NULL;
	kc->text = malloc(len + 1);
	if (!kc->text) {
		free(kc);
		return NULL;
	}
	memcpy(kc->text, text, len);
	kc->text[len] = '\0';
	for (p = kc->text, end = kc->text + len; p < end; p++) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *eq;

		if (!nl)
			nl = end;
		*nl = '\0';
		/* as libbpf: only lines starting with CONFIG_; the value runs to the line's end */
		if (has_prefix(p, "CONFIG_") && (eq = strchr(p, '=')) && eq[1]) {
			if (kc->nr_lines == cap) {
				size_t ncap = cap ? cap * 2 : 256;
				struct kcfg_line *n = realloc(kc->lines, ncap * sizeof(*n));

				if (!n) {
					check_kconfig_free(kc);
					return NULL;
				}
				kc->lines = n;
				cap = ncap;
			}
			*eq = '\0';
			kc->lines[kc->nr_lines++] = (struct kcfg_line){p, eq + 1};
		}
		p = nl;
	}
	return kc;
}

/* Reads `path` whole through zlib (gzip or plain text, like libbpf's gzopen). */
static char *read_config(const char *path, size_t *len, int *err)
{
	gzFile f = gzopen(path, "r");
	size_t cap = 1 << 16, n = 0;
	char *buf;

	*err = 0;
	if (!f) {
		*err = errno ? errno : ENOENT;
		return NULL;
	}
	buf = malloc(cap);
	while (buf) {
		int got;

		if (n == cap) {
			char *nb = cap < KCFG_MAX_FILE ? realloc(buf, cap * 2) : NULL;

			if (!nb) {
				free(buf);
				buf = NULL;
				*err = cap < KCFG_MAX_FILE ? ENOMEM : EFBIG;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		got = gzread(f, buf + n, (unsigned)(cap - n));
		if (got < 0) {
			free(buf);
			buf = NULL;
			*err = EIO;
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (!buf && !*err)
		*err = ENOMEM;
	gzclose(f);
	*len = n;
	return buf;
}

struct check_kconfig *check_kconfig_load(const char *path, struct diag_sink *sink)
{
	struct check_kconfig *kc;
	size_t len = 0;
	int err;
	char *text = read_config(path, &len, &err);

	if (!text) {
		diag_errorf(sink, NULL, NULL, "cannot read kernel config '%s': %s", path,
		            strerror(err));
		return NULL;
	}
	kc = check_kconfig_parse(text, len);
	free(text);
	if (!kc)
		diag_errorf(sink, NULL, NULL, "cannot read kernel config '%s': %s", path,
		            strerror(ENOMEM));
	return kc;
}

/* libbpf 1.1's get_kernel_version(): Ubuntu's /proc/version_signature, else uname. */
static uint32_t running_kernel_version(void)
{
	unsigned major = 0, minor = 0, patch = 0;
	struct utsname u;
	FILE *f = fopen("/proc/version_signature", "r");

	if (f) {
		int n = fscanf(f, "%*s %*s %u.%u.%u\n", &major, &minor, &patch);

		fclose(f);
		if (n != 3)
			return 0;
	} else {
		if (uname(&u) || sscanf(u.release, "%u.%u.%u", &major, &minor, &patch) != 3)
			return 0;
	}
	return (major << 16) + (minor << 8) + (patch > 255 ? 255 : patch);
}

struct check_kconfig *check_kconfig_load_running(void)
{
	struct check_kconfig *kc;
	struct utsname u;
	char path[320];
	size_t len = 0;
	char *text = NULL;
	int err;

	if (uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		text = read_config(path, &len, &err);
	}
	if (!text)
		text = read_config("/proc/config.gz", &len, &err);
	if (!text)
		return NULL;
	kc = check_kconfig_parse(text, len);
	free(text);
	if (kc)
		kc->kernel_version = running_kernel_version();
	return kc;
}

void check_kconfig_free(struct check_kconfig *kc)
{
	if (!kc)
		return;
	free(kc->lines);
	free(kc->text);
	free(kc);
}

const char *check_kconfig_get(const struct check_kconfig *kc, const char *name)
{
	/* libbpf takes the first line that names the extern */
	for (size_t i = 0; kc && i < kc->nr_lines; i++)
		if (strcmp(kc->lines[i].name, name) == 0)
			return kc->lines[i].value;
	return NULL;
}

uint32_t check_kconfig_kernel_version(const struct check_kconfig *kc)
{
	return kc ? kc->kernel_version : 0;
}

void check_kconfig_set_kernel_version(struct check_kconfig *kc, uint32_t version)
{
	if (kc)
		kc->kernel_version = version;
}

/* ---- values (libbpf's set_kcfg_value_*) ------------------------------------------------- */

static void store(const struct check_kcfg_ext *ext, uint8_t *out, uint64_t v)
{
	if (!out)
		return;
	/* the host's byte order, as libbpf writes through a typed pointer */
	switch (ext->size) {
	case 1: {
		uint8_t x = (uint8_t)v;
		memcpy(out, &x, 1);
		break;
	}
	case 2: {
		uint16_t x = (uint16_t)v;
		memcpy(out, &x, 2);
		break;
	}
	case 4: {
		uint32_t x = (uint32_t)v;
		memcpy(out, &x, 4);
		break;
	}
	case 8:
		memcpy(out, &v, 8);
		break;
	default:
		break;
	}
}

static bool fits(const struct check_kcfg_ext *ext, uint64_t v)
{
	unsigned bits = ext->size * 8;

	if (ext->size >= 8)
		return true;
	if (ext->is_signed)
		return v + (1ull << (bits - 1)) < (1ull << bits);
	return (v >> bits) == 0;
}

static int set_num(const struct check_kcfg_ext *ext, uint64_t v, uint8_t *out, char *why, size_t n)
{
	if (ext->type != CHECK_KCFG_INT && ext->type != CHECK_KCFG_CHAR &&
	    ext->type != CHECK_KCFG_BOOL) {
		snprintf(why, n, "value '%" PRIu64 "' implies integer, char, or boolean type", v);
		return -EINVAL;
	}
	if (ext->type == CHECK_KCFG_BOOL && v > 1) {
		snprintf(why, n, "value '%" PRIu64 "' isn't boolean compatible", v);
		return -EINVAL;
	}
	if (ext->type != CHECK_KCFG_BOOL && !fits(ext, v)) {
		snprintf(why, n, "value '%" PRIu64 "' doesn't fit in %u bytes", v, ext->size);
		return -ERANGE;
	}
	store(ext, out, v);
	return 0;
}

static int set_tri(const struct check_kcfg_ext *ext, char v, uint8_t *out, char *why, size_t n)
{
	switch (ext->type) {
	case CHECK_KCFG_BOOL:
		if (v == 'm') {
			snprintf(why, n, "value '%c' implies tristate or char type", v);
			return -EINVAL;
		}
		store(ext, out, v == 'y');
		return 0;
	case CHECK_KCFG_TRISTATE:
		/* enum libbpf_tristate: TRI_NO 0, TRI_YES 1, TRI_MODULE 2 */
		store(ext, out, v == 'y' ? 1 : v == 'm' ? 2 : 0);
		return 0;
	case CHECK_KCFG_CHAR:
		store(ext, out, (uint8_t)v);
		return 0;
	default:
		snprintf(why, n, "value '%c' implies bool, tristate, or char type", v);
		return -EINVAL;
	}
}

static int set_str(const struct check_kcfg_ext *ext, const char *v, uint8_t *out, char *why,
                   size_t n)
{
	size_t len = strlen(v);

	if (ext->type != CHECK_KCFG_CHAR_ARR) {
		snprintf(why, n, "value '%.64s' implies char array type", v);
		return -EINVAL;
	}
	if (len < 2 || v[len - 1] != '"') {
		snprintf(why, n, "invalid string config '%.64s'", v);
		return -EINVAL;
	}
	len -= 2;
	if (len >= ext->size)
		len = ext->size - 1; /* libbpf truncates, with a warning */
	if (out) {
		memcpy(out, v + 1, len);
		out[len] = '\0';
	}
	return 0;
}

/* libbpf's parse_u64(): strtoull with base 0, the whole value. */
static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -EINVAL : 0;
}

static int resolve_config(const struct check_kcfg_ext *ext, const char *value, uint8_t *out,
                          char *why, size_t n)
{
	uint64_t v;

	switch (value[0]) {
	case 'y':
	case 'n':
	case 'm':
		return set_tri(ext, value[0], out, why, n);
	case '"':
		return set_str(ext, value, out, why, n);
	default:
		if (parse_u64(value, &v)) {
			snprintf(why, n, "value '%.64s' isn't a valid integer", value);
			return -EINVAL;
		}
		if (ext->type != CHECK_KCFG_INT && ext->type != CHECK_KCFG_CHAR) {
			snprintf(why, n, "value '%.64s' implies integer type", value);
			return -EINVAL;
		}
		return set_num(ext, v, out, why, n);
	}
}

int check_kcfg_resolve(const struct check_kcfg_ext *ext, const struct check_kconfig *kc,
                       uint8_t *out, char *why, size_t why_size)
{
	const char *value;
	int err;

	if (why_size)
		why[0] = '\0';
	if (ext->type == CHECK_KCFG_UNKNOWN) {
		snprintf(why, why_size, "type is unsupported");
		return -EINVAL;
	}
	if (has_prefix(ext->name, "CONFIG_")) {
		if (!kc)
			return 2;
		value = check_kconfig_get(kc, ext->name);
		return value ? resolve_config(ext, value, out, why, why_size) : 1;
	}
	if (strcmp(ext->name, "LINUX_KERNEL_VERSION") == 0) {
		uint32_t v = check_kconfig_kernel_version(kc);

		/* any real version is above 65535: an int of 4 or 8 bytes is needed */
		err = set_num(ext, v ? v : 0x10000, v ? out : NULL, why, why_size);
		return err ? err : v ? 0 : 2;
	}
	if (strcmp(ext->name, "LINUX_HAS_BPF_COOKIE") == 0) {
		/* libbpf probes bpf_get_attach_cookie() from a tracepoint program: there since
		 * 5.15, so known wherever the kernel's version is */
		uint32_t v = check_kconfig_kernel_version(kc);

		err = set_num(ext, v >= (5u << 16) + (15u << 8), v ? out : NULL, why, why_size);
		return err ? err : v ? 0 : 2;
	}
	if (strcmp(ext->name, "LINUX_HAS_SYSCALL_WRAPPER") == 0) {
		/* libbpf asks for a kprobe on __<arch>_sys_bpf: depends on the loading
		 * machine's kprobe support, not on the config */
		err = set_num(ext, 1, NULL, why, why_size);
		return err ? err : 2;
	}
	if (!has_prefix(ext->name, "LINUX_") || !ext->weak) {
		snprintf(why, why_size, "unrecognized virtual extern");
		return -EINVAL;
	}
	return 1;
}
