/*
 * test_ctx_table.c - the shape of the context-access and return-value tables
 * (compiler/verifier/ctx_access.def, prog_return.def) and the answers of their lookups
 * (ctx_access.h), without a kernel.
 *
 * The tables model check_ctx_access() and check_return_code() as the kernel answered
 * them; here we check that every section of libbpf's table has a configuration row, that
 * rows are well formed, never overlap and sit in their configuration's slice, that the lookup
 * answers every probed access with the row that covers it, and a few anchors taken from the uapi
 * layout (<linux/bpf.h>):
 * __sk_buff's data, data_end, data_meta, sk and flow_keys, xdp_md's data and data_end.
 */
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/bpf.h>

#include "check/check.h"
#include "verifier/ctx_access.h"

struct row {
	uint32_t prog;
	int32_t attach;
	int mode, size, align, lo, hi, kind;
	const char *name;
	unsigned flags;
	bool allow;
};

static const struct row rows[] = {
#define VRF_CTX_ALLOW(p, a, m, s, al, lo, hi, k, n, f)                                             \
	{(uint32_t)(p), (a), (m), (s), (al), (lo), (hi), (k), (n), (f), true},
#define VRF_CTX_DENY(p, a, m, s, al, lo, hi, msg)                                                  \
	{(uint32_t)(p), (a), (m), (s), (al), (lo), (hi), VRF_CTXK_NONE, (msg), 0, false},
#include "verifier/ctx_access.def"
#undef VRF_CTX_ALLOW
#undef VRF_CTX_DENY
};

static const struct {
	uint32_t prog;
	int32_t attach;
} sections[] = {
#define CHECK_SECTION(pat, match, prog, attach, target, fl)                                        \
	{CHECK_PROG_##prog, CHECK_ATTACH_##attach},
#include "check/sections.def"
#undef CHECK_SECTION
};

/* Each configuration's slices of the ALLOW rows and of the DENY rows. */
static const struct {
	uint32_t prog;
	int32_t attach;
	unsigned a0, an, d0, dn;
} slices[] = {
#define VRF_CTX_CONFIG(p, a, fl, st, err, start, limit, target, ctx, csz, a0, an, d0, dn)          \
	{(uint32_t)(p), (a), (a0), (an), (d0), (dn)},
#include "verifier/ctx_access.def"
#undef VRF_CTX_CONFIG
};

#define NROWS     (sizeof(rows) / sizeof(rows[0]))
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

static const int sizes[4] = {1, 2, 4, 8};

START_TEST(test_sections_have_configs)
{
	struct vrf_ctx_config c;
	unsigned i, j, probed = 0;

	for (i = 0; i < NSECTIONS; i++)
		ck_assert_msg(vrf_ctx_config(sections[i].prog, sections[i].attach, &c) == 0,
		              "section row %u (%u, %d) has no configuration", i, sections[i].prog,
		              sections[i].attach);
	for (i = 0; i < vrf_ctx_config_count(); i++) {
		bool found = false;

		ck_assert_int_eq(vrf_ctx_config_at(i, &c), 0);
		for (j = 0; j < NSECTIONS && !found; j++)
			found =
			    sections[j].prog == c.prog_type && sections[j].attach == c.attach_type;
		ck_assert_msg(found, "configuration (%u, %d) is in no section", c.prog_type,
		              c.attach_type);
		if (c.status == VRF_CTX_NOT_PROBED) {
			ck_assert_ptr_nonnull(c.load_errno);
			ck_assert_int_eq(c.limit, 0);
		} else {
			ck_assert_ptr_null(c.load_errno);
			ck_assert_int_ge(c.limit, c.ctx_size + 8); /* the whole struct was probed */
			ck_assert_int_lt(c.start, 0);
			probed++;
		}
	}
	ck_assert_int_eq(vrf_ctx_config_at(i, &c), -ENOENT);
	ck_assert_uint_gt(probed, vrf_ctx_config_count() / 2);
	ck_assert_str_ne(vrf_ctx_kernel(), "");
}
END_TEST

START_TEST(test_row_shape)
{
	unsigned i, j, allow = 0;

	ck_assert_uint_gt(NROWS, 0);
	for (i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];
		struct vrf_ctx_config c;

		ck_assert_int_eq(vrf_ctx_config(r->prog, r->attach, &c), 0);
		ck_assert_int_ne(c.status, VRF_CTX_NOT_PROBED);
		ck_assert(r->size == 1 || r->size == 2 || r->size == 4 || r->size == 8);
		ck_assert(r->mode == VRF_CTX_READ || r->mode == VRF_CTX_WRITE ||
		          r->mode == VRF_CTX_ST || r->mode == VRF_CTX_ATOMIC);
		ck_assert(r->mode != VRF_CTX_ATOMIC || r->size >= 4);
		ck_assert_int_ge(r->lo, c.start);
		ck_assert_int_le(r->lo, r->hi);
		ck_assert_int_lt(r->hi, c.limit);
		if (r->align == VRF_CTX_ALIGNED) {
			ck_assert_int_eq(r->lo % r->size, 0);
			ck_assert_int_eq(r->hi % r->size, 0);
		} else {
			ck_assert_int_eq(r->align, VRF_CTX_UNALIGNED);
			ck_assert_int_ne(r->lo % r->size, 0);
			ck_assert_int_ne(r->hi % r->size, 0);
		}
		if (r->allow) {
			allow++;
			ck_assert_msg((r->kind == VRF_CTXK_NONE) == (r->mode != VRF_CTX_READ),
			              "row %u: reads and only reads produce a register", i);
			ck_assert((r->kind == VRF_CTXK_BTF_ID) == (r->name != NULL));
		} else {
			ck_assert_ptr_nonnull(r->name);
			ck_assert_str_ne(r->name, "ctx"); /* the standard message is no row */
		}
		for (j = i + 1; j < NROWS; j++) {
			const struct row *s = &rows[j];

			if (s->prog != r->prog || s->attach != r->attach || s->mode != r->mode ||
			    s->size != r->size || s->align != r->align)
				continue;
			ck_assert_msg(s->hi < r->lo || s->lo > r->hi,
			              "rows %u and %u overlap (%u, %d, mode %d, size %d)", i, j,
			              r->prog, r->attach, r->mode, r->size);
		}
	}
	ck_assert_uint_gt(allow, NROWS / 2);
}
END_TEST

/* The slices a configuration names hold its rows, all of them, in order. */
START_TEST(test_config_slices)
{
	unsigned i, j, a = 0, d = 0, na = 0, nd = 0;

	for (i = 0; i < NROWS; i++) {
		if (rows[i].allow)
			na++;
		else
			nd++;
	}
	for (i = 0; i < sizeof(slices) / sizeof(slices[0]); i++) {
		ck_assert_uint_eq(slices[i].a0, a);
		ck_assert_uint_eq(slices[i].d0, d);
		a += slices[i].an;
		d += slices[i].dn;
	}
	ck_assert_uint_eq(a, na);
	ck_assert_uint_eq(d, nd);
	/* rows[] is all ALLOW rows, then all DENY rows */
	for (i = 0; i < sizeof(slices) / sizeof(slices[0]); i++) {
		for (j = slices[i].a0; j < slices[i].a0 + slices[i].an; j++) {
			ck_assert(rows[j].allow);
			ck_assert(rows[j].prog == slices[i].prog &&
			          rows[j].attach == slices[i].attach);
		}
		for (j = slices[i].d0; j < slices[i].d0 + slices[i].dn; j++) {
			ck_assert(!rows[na + j].allow);
			ck_assert(rows[na + j].prog == slices[i].prog &&
			          rows[na + j].attach == slices[i].attach);
		}
	}
}
END_TEST

/* Every probed access gets an answer, from the row that covers it. */
START_TEST(test_lookup_covers)
{
	unsigned i;

	for (i = 0; i < vrf_ctx_config_count(); i++) {
		struct vrf_ctx_config c;
		struct vrf_ctx_field f;
		int mode, si, off, step, r;

		vrf_ctx_config_at(i, &c);
		if (c.status == VRF_CTX_NOT_PROBED) {
			ck_assert_int_eq(
			    vrf_ctx_access(c.prog_type, c.attach_type, 0, 4, VRF_CTX_READ, &f),
			    -ENOENT);
			continue;
		}
		step = c.limit > 1024 ? 61 : 1; /* tracepoint and syscall: a sample */
		for (mode = 0; mode < 4; mode++)
			for (si = mode == VRF_CTX_ATOMIC ? 2 : 0; si < 4; si++) {
				for (off = c.start; off < c.limit; off += step) {
					r = vrf_ctx_access(c.prog_type, c.attach_type, off,
					                   sizes[si], (enum vrf_ctx_mode)mode, &f);
					ck_assert_msg(r == 0 || r == 1, "(%u, %d) off %d: %d",
					              c.prog_type, c.attach_type, off, r);
					ck_assert_int_le(f.lo, off);
					ck_assert_int_ge(f.hi, off);
					if (r == 1)
						ck_assert_ptr_null(f.deny_msg);
					else
						ck_assert_int_eq(f.kind, VRF_CTXK_NONE);
				}
				r = vrf_ctx_access(c.prog_type, c.attach_type, c.limit, sizes[si],
				                   (enum vrf_ctx_mode)mode, &f);
				ck_assert_int_eq(r, c.status == VRF_CTX_CAPPED ? -ENOENT : 0);
				ck_assert_int_eq(vrf_ctx_access(c.prog_type, c.attach_type,
				                                c.start - 8, sizes[si],
				                                (enum vrf_ctx_mode)mode, NULL),
				                 -ENOENT);
			}
	}
	for (i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];
		struct vrf_ctx_field f;
		int ends[2] = {r->lo, r->hi};

		for (int e = 0; e < 2; e++) {
			int got = vrf_ctx_access(r->prog, r->attach, ends[e], r->size,
			                         (enum vrf_ctx_mode)r->mode, &f);

			ck_assert_int_eq(got, r->allow ? 1 : 0);
			ck_assert_int_eq(f.lo, r->lo);
			ck_assert_int_eq(f.hi, r->hi);
			if (r->allow) {
				ck_assert_int_eq(f.kind, r->kind);
				ck_assert_uint_eq(f.flags, r->flags);
			} else {
				ck_assert_str_eq(f.deny_msg, r->name);
			}
		}
	}
}
END_TEST

START_TEST(test_bad_arguments)
{
	struct vrf_ctx_field f;

	ck_assert_int_eq(vrf_ctx_access(CHECK_PROG_XDP, CHECK_ATTACH_XDP, 0, 3, VRF_CTX_READ, &f),
	                 -EINVAL);
	ck_assert_int_eq(vrf_ctx_access(CHECK_PROG_XDP, CHECK_ATTACH_XDP, 0, 4, 7, &f), -EINVAL);
	ck_assert_int_eq(vrf_ctx_access(CHECK_PROG_XDP, CHECK_ATTACH_XDP, 0, 2, VRF_CTX_ATOMIC, &f),
	                 -EINVAL);
	ck_assert_int_eq(
	    vrf_ctx_access(CHECK_PROG_XDP, CHECK_ATTACH_CGROUP_DEVICE, 0, 4, VRF_CTX_READ, &f),
	    -ENOENT);
	ck_assert_int_eq(vrf_ctx_access(9999, CHECK_ATTACH_NONE, 0, 4, VRF_CTX_READ, &f), -ENOENT);
}
END_TEST

/* What the uapi says the rewritten fields are, found where the layout puts them. */
START_TEST(test_uapi_anchors)
{
	static const struct {
		uint32_t prog;
		int32_t attach;
		int off, size;
		enum vrf_ctx_kind kind;
		unsigned flags;
	} anchors[] = {
	    {CHECK_PROG_SCHED_CLS, CHECK_ATTACH_NONE, offsetof(struct __sk_buff, data), 4,
	     VRF_CTXK_PKT, 0},
	    {CHECK_PROG_SCHED_CLS, CHECK_ATTACH_NONE, offsetof(struct __sk_buff, data_end), 4,
	     VRF_CTXK_PKT_END, 0},
	    {CHECK_PROG_SCHED_CLS, CHECK_ATTACH_TCX_INGRESS, offsetof(struct __sk_buff, data_meta),
	     4, VRF_CTXK_PKT_META, 0},
	    {CHECK_PROG_SCHED_CLS, CHECK_ATTACH_NONE, offsetof(struct __sk_buff, sk), 8,
	     VRF_CTXK_SOCK_COMMON, VRF_CTXF_OR_NULL},
	    {CHECK_PROG_SCHED_CLS, CHECK_ATTACH_NONE, offsetof(struct __sk_buff, len), 4,
	     VRF_CTXK_SCALAR, 0},
	    {CHECK_PROG_FLOW_DISSECTOR, CHECK_ATTACH_FLOW_DISSECTOR,
	     offsetof(struct __sk_buff, flow_keys), 8, VRF_CTXK_FLOW_KEYS, 0},
	    {CHECK_PROG_XDP, CHECK_ATTACH_XDP, offsetof(struct xdp_md, data), 4, VRF_CTXK_PKT, 0},
	    {CHECK_PROG_XDP, CHECK_ATTACH_XDP, offsetof(struct xdp_md, data_end), 4,
	     VRF_CTXK_PKT_END, 0},
	};
	struct vrf_ctx_field f;
	struct vrf_ctx_config c;
	char name[64];
	unsigned i;

	/* the context structs whose layout Debian's uapi header shares with the kernel's BTF */
	ck_assert_int_eq(vrf_ctx_config(CHECK_PROG_SCHED_CLS, CHECK_ATTACH_NONE, &c), 0);
	ck_assert_str_eq(c.ctx_type, "__sk_buff");
	ck_assert_int_eq(c.ctx_size, sizeof(struct __sk_buff));
	ck_assert_int_eq(vrf_ctx_config(CHECK_PROG_XDP, CHECK_ATTACH_XDP, &c), 0);
	ck_assert_str_eq(c.ctx_type, "xdp_md");
	ck_assert_int_eq(c.ctx_size, sizeof(struct xdp_md));
	for (i = 0; i < sizeof(anchors) / sizeof(anchors[0]); i++) {
		ck_assert_int_eq(vrf_ctx_access(anchors[i].prog, anchors[i].attach, anchors[i].off,
		                                anchors[i].size, VRF_CTX_READ, &f),
		                 1);
		ck_assert_int_eq(f.kind, anchors[i].kind);
		ck_assert_uint_eq(f.flags, anchors[i].flags);
		/* the same field read misaligned is refused with the standard message */
		ck_assert_int_eq(vrf_ctx_access(anchors[i].prog, anchors[i].attach,
		                                anchors[i].off + 1, anchors[i].size, VRF_CTX_READ,
		                                &f),
		                 0);
		ck_assert_ptr_null(f.deny_msg);
		ck_assert_int_eq(vrf_ctx_deny_format(&f, anchors[i].off + 1, anchors[i].size, name,
		                                     sizeof(name)),
		                 0);
		ck_assert_int_eq(strncmp(name, "invalid bpf_context access off=", 31), 0);
	}
	f = (struct vrf_ctx_field){.deny_msg = "func 'f' offset 4 is not multiple of 8"};
	ck_assert_int_eq(vrf_ctx_deny_format(&f, 4, 4, name, sizeof(name)), 0);
	ck_assert_str_eq(name, f.deny_msg);
	ck_assert_int_eq(vrf_ctx_deny_format(&f, 4, 4, name, 8), -ENOSPC);
	vrf_ctx_access(CHECK_PROG_SCHED_CLS, CHECK_ATTACH_NONE, offsetof(struct __sk_buff, sk), 8,
	               VRF_CTX_READ, &f);
	ck_assert_int_eq(vrf_ctx_kind_name(&f, name, sizeof(name)), 0);
	ck_assert_str_eq(name, "sock_common_or_null");
	ck_assert_int_eq(vrf_ctx_kind_name(&f, name, 4), -ENOSPC);
	f = (struct vrf_ctx_field){.kind = VRF_CTXK_BTF_ID,
	                           .btf_name = "task_struct",
	                           .flags = VRF_CTXF_TRUSTED | VRF_CTXF_OR_NULL};
	ck_assert_int_eq(vrf_ctx_kind_name(&f, name, sizeof(name)), 0);
	ck_assert_str_eq(name, "trusted_ptr_or_null_task_struct");
	f.kind = VRF_CTXK_NONE;
	ck_assert_int_eq(vrf_ctx_kind_name(&f, name, sizeof(name)), -EINVAL);
}
END_TEST

START_TEST(test_return_rules)
{
	struct vrf_ret_range r;
	unsigned i;

	for (i = 0; i < vrf_ctx_config_count(); i++) {
		struct vrf_ctx_config c;

		vrf_ctx_config_at(i, &c);
		ck_assert_int_eq(vrf_prog_return_range(c.prog_type, c.attach_type, &r), 0);
		ck_assert_int_eq(r.kind == VRF_RET_NOT_PROBED, c.status == VRF_CTX_NOT_PROBED);
		if (r.kind == VRF_RET_RANGE) {
			ck_assert_int_le(r.lo, r.hi);
			ck_assert(r.bits == 32 || r.bits == 64);
			ck_assert(vrf_prog_return_ok(&r, r.lo));
			ck_assert(vrf_prog_return_ok(&r, r.hi));
			ck_assert(!vrf_prog_return_ok(&r, r.hi + 1));
		}
	}
	ck_assert_int_eq(vrf_prog_return_range(9999, CHECK_ATTACH_NONE, &r), -ENOENT);
	/* the rule's arithmetic, on made-up ranges */
	r = (struct vrf_ret_range){VRF_RET_RANGE, 0, 1, 64};
	ck_assert(vrf_prog_return_ok(&r, 1));
	ck_assert(!vrf_prog_return_ok(&r, -1));
	ck_assert(!vrf_prog_return_ok(&r, INT64_C(1) << 32));
	r.bits = 32;
	ck_assert(vrf_prog_return_ok(&r, (INT64_C(1) << 32) + 1));
	ck_assert(!vrf_prog_return_ok(&r, (INT64_C(1) << 32) + 2));
	r = (struct vrf_ret_range){VRF_RET_RANGE, -4095, 0, 32};
	ck_assert(vrf_prog_return_ok(&r, 0xffffffffLL));
	r.kind = VRF_RET_ANY;
	ck_assert(vrf_prog_return_ok(&r, 12345));
	r.kind = VRF_RET_NOT_PROBED;
	ck_assert(!vrf_prog_return_ok(&r, 0));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ctx_table");
	TCase *tc = tcase_create("table");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_sections_have_configs);
	tcase_add_test(tc, test_row_shape);
	tcase_add_test(tc, test_config_slices);
	tcase_add_test(tc, test_lookup_covers);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_uapi_anchors);
	tcase_add_test(tc, test_return_rules);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
