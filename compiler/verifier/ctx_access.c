/*
 * ctx_access.c - lookups in the context-access and return-value tables the live kernel
 * answered (ctx_access.def, prog_return.def; see ctx_access.h and gen/README.md).
 *
 * Models check_ctx_access() / is_valid_access() and check_return_code() by their
 * measured answers: only accepted access ranges and unusual refusals are rows, so an
 * access inside a probed configuration that no ALLOW row covers is refused with the
 * kernel's standard "invalid bpf_context access" message.  Past the probed limit the
 * answer is "refused" when the probe stopped on its own (64 bytes after the last accepted
 * offset and past the uapi context struct), and unknown when it hit its cap or below the
 * probed start (-64).  Each configuration names its slice of the ALLOW and DENY rows, so a
 * lookup scans its own few dozen rows only.
 */
#include "verifier/ctx_access.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#include "check/check.h"

struct ctx_allow_row {
	uint32_t prog_type;
	int32_t attach_type;
	uint8_t mode, size, align;
	int lo, hi;
	enum vrf_ctx_kind kind;
	const char *btf_name;
	unsigned flags;
};

struct ctx_deny_row {
	uint32_t prog_type;
	int32_t attach_type;
	uint8_t mode, size, align;
	int lo, hi;
	const char *msg;
};

/* A configuration and the slices of allow_rows[] and deny_rows[] that are its rules. */
struct ctx_config_row {
	struct vrf_ctx_config c;
	unsigned allow_first, allow_count, deny_first, deny_count;
};

struct ret_row {
	uint32_t prog_type;
	int32_t attach_type;
	enum vrf_ret_kind kind;
	int64_t lo, hi;
	int bits;
};

static const struct ctx_config_row config_rows[] = {
#define VRF_CTX_CONFIG(prog, attach, fl, status, err, start, limit, target, ctx, csz, a0, an, d0,  \
                       dn)                                                                         \
	{{(uint32_t)(prog), (attach), (fl), (status), (err), (start), (limit), (target), (ctx),    \
	  (csz)},                                                                                  \
	 (a0),                                                                                     \
	 (an),                                                                                     \
	 (d0),                                                                                     \
	 (dn)},
#include "verifier/ctx_access.def"
#undef VRF_CTX_CONFIG
};

static const struct ctx_allow_row allow_rows[] = {
#define VRF_CTX_ALLOW(prog, attach, mode, size, align, lo, hi, kind, name, fl)                     \
	{(uint32_t)(prog), (attach), (mode), (size), (align), (lo), (hi), (kind), (name), (fl)},
#include "verifier/ctx_access.def"
#undef VRF_CTX_ALLOW
};

static const struct ctx_deny_row deny_rows[] = {
#define VRF_CTX_DENY(prog, attach, mode, size, align, lo, hi, msg)                                 \
	{(uint32_t)(prog), (attach), (mode), (size), (align), (lo), (hi), (msg)},
#include "verifier/ctx_access.def"
#undef VRF_CTX_DENY
};

static const struct ret_row ret_rows[] = {
#define VRF_PROG_RETURN(prog, attach, kind, lo, hi, bits)                                          \
	{(uint32_t)(prog), (attach), (kind), (lo), (hi), (bits)},
#include "verifier/prog_return.def"
#undef VRF_PROG_RETURN
};

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))

const char *vrf_ctx_kernel(void)
{
	return VRF_CTX_KERNEL;
}

unsigned vrf_ctx_config_count(void)
{
	return (unsigned)ROWS(config_rows);
}

int vrf_ctx_config_at(unsigned i, struct vrf_ctx_config *out)
{
	if (i >= ROWS(config_rows))
		return -ENOENT;
	*out = config_rows[i].c;
	return 0;
}

static const struct ctx_config_row *config_find(uint32_t prog_type, int32_t attach_type)
{
	size_t i;

	for (i = 0; i < ROWS(config_rows); i++)
		if (config_rows[i].c.prog_type == prog_type &&
		    config_rows[i].c.attach_type == attach_type)
			return &config_rows[i];
	return NULL;
}

int vrf_ctx_config(uint32_t prog_type, int32_t attach_type, struct vrf_ctx_config *out)
{
	const struct ctx_config_row *row = config_find(prog_type, attach_type);

	if (!row)
		return -ENOENT;
	*out = row->c;
	return 0;
}

/* Whether a row of (mode, size, align, lo, hi) covers the access. */
static bool row_covers(uint8_t mode, uint8_t size, uint8_t align, int lo, int hi,
                       enum vrf_ctx_mode m, int sz, int off)
{
	uint8_t a = off % sz == 0 ? VRF_CTX_ALIGNED : VRF_CTX_UNALIGNED; /* C's %, as probed */

	return mode == m && size == sz && align == a && off >= lo && off <= hi;
}

int vrf_ctx_access(uint32_t prog_type, int32_t attach_type, int off, int size,
                   enum vrf_ctx_mode mode, struct vrf_ctx_field *out)
{
	const struct ctx_config_row *row;
	struct vrf_ctx_field dummy;
	unsigned i;

	if (!out)
		out = &dummy;
	*out = (struct vrf_ctx_field){.kind = VRF_CTXK_NONE};
	if ((size != 1 && size != 2 && size != 4 && size != 8) ||
	    (mode != VRF_CTX_READ && mode != VRF_CTX_WRITE && mode != VRF_CTX_ST &&
	     mode != VRF_CTX_ATOMIC) ||
	    (mode == VRF_CTX_ATOMIC && size < 4))
		return -EINVAL;
	row = config_find(prog_type, attach_type);
	if (!row || row->c.status == VRF_CTX_NOT_PROBED || off < row->c.start)
		return -ENOENT;
	if (off >= row->c.limit) {
		out->lo = row->c.limit;
		out->hi = INT32_MAX;
		return row->c.status == VRF_CTX_CAPPED ? -ENOENT : 0;
	}
	for (i = row->allow_first; i < row->allow_first + row->allow_count; i++) {
		const struct ctx_allow_row *r = &allow_rows[i];

		if (!row_covers(r->mode, r->size, r->align, r->lo, r->hi, mode, size, off))
			continue;
		out->kind = r->kind;
		out->btf_name = r->btf_name;
		out->flags = r->flags;
		out->lo = r->lo;
		out->hi = r->hi;
		return 1;
	}
	for (i = row->deny_first; i < row->deny_first + row->deny_count; i++) {
		const struct ctx_deny_row *r = &deny_rows[i];

		if (!row_covers(r->mode, r->size, r->align, r->lo, r->hi, mode, size, off))
			continue;
		out->deny_msg = r->msg;
		out->lo = r->lo;
		out->hi = r->hi;
		return 0;
	}
	out->lo = off;
	out->hi = off;
	return 0;
}

int vrf_ctx_deny_format(const struct vrf_ctx_field *f, int off, int size, char *buf, size_t n)
{
	int len;

	if (f->deny_msg)
		len = snprintf(buf, n, "%s", f->deny_msg);
	else
		len = snprintf(buf, n, "invalid bpf_context access off=%d size=%d", off, size);
	return len < 0 || (size_t)len >= n ? -ENOSPC : 0;
}

int vrf_prog_return_range(uint32_t prog_type, int32_t attach_type, struct vrf_ret_range *out)
{
	size_t i;

	for (i = 0; i < ROWS(ret_rows); i++)
		if (ret_rows[i].prog_type == prog_type && ret_rows[i].attach_type == attach_type) {
			*out = (struct vrf_ret_range){ret_rows[i].kind, ret_rows[i].lo,
			                              ret_rows[i].hi, ret_rows[i].bits};
			return 0;
		}
	return -ENOENT;
}

bool vrf_prog_return_ok(const struct vrf_ret_range *r, int64_t v)
{
	int64_t v32;

	switch (r->kind) {
	case VRF_RET_ANY:
		return true;
	case VRF_RET_RANGE:
		if (v >= r->lo && v <= r->hi)
			return true;
		if (r->bits != 32)
			return false;
		v32 = (int64_t)(uint32_t)v;
		return (v32 >= r->lo && v32 <= r->hi) ||
		       (v32 - (INT64_C(1) << 32) >= r->lo && v32 - (INT64_C(1) << 32) <= r->hi);
	default:
		return false;
	}
}

int vrf_ctx_kind_name(const struct vrf_ctx_field *f, char *buf, size_t n)
{
	static const char *const names[] = {
	    [VRF_CTXK_SCALAR] = "scalar",       [VRF_CTXK_PKT] = "pkt",
	    [VRF_CTXK_PKT_END] = "pkt_end",     [VRF_CTXK_PKT_META] = "pkt_meta",
	    [VRF_CTXK_SOCK] = "sock",           [VRF_CTXK_SOCK_COMMON] = "sock_common",
	    [VRF_CTXK_TCP_SOCK] = "tcp_sock",   [VRF_CTXK_FLOW_KEYS] = "flow_keys",
	    [VRF_CTXK_TP_BUFFER] = "tp_buffer", [VRF_CTXK_CTX] = "ctx",
	};
	const char *null = f->flags & VRF_CTXF_OR_NULL ? "or_null" : "";
	int len;

	if (f->kind == VRF_CTXK_BTF_ID) {
		const char *pre = f->flags & VRF_CTXF_TRUSTED     ? "trusted_"
		                  : f->flags & VRF_CTXF_RCU       ? "rcu_"
		                  : f->flags & VRF_CTXF_UNTRUSTED ? "untrusted_"
		                                                  : "";

		if (!f->btf_name)
			return -EINVAL;
		len = snprintf(buf, n, "%sptr_%s%s%s", pre, null, *null ? "_" : "", f->btf_name);
	} else {
		if ((unsigned)f->kind >= sizeof(names) / sizeof(names[0]) || !names[f->kind])
			return -EINVAL;
		len = snprintf(buf, n, "%s%s%s", names[f->kind], *null ? "_" : "", null);
	}
	return len < 0 || (size_t)len >= n ? -ENOSPC : 0;
}
