/*
 * test_protos_table.c - the shape of the helper prototype table
 * (compiler/verifier/helper_protos.def) and its lookups.
 *
 * The kernel's check_func_proto() refuses a bpf_func_proto whose memory arguments are not
 * paired with a size (check_arg_pair_ok: a size argument follows a memory argument, a
 * memory argument without MEM_FIXED_SIZE is followed by a size) or that has a hole in its
 * arguments (check_args_pair_invalid / DONTCARE only at the end); every helper of
 * check/helpers.def must have an entry, with the same name.  Entries whose facts are known
 * independently of the table (the helper's documented C prototype in the uapi header)
 * are spot-checked.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "verifier/helper_proto.h"

static bool is_pointer_kind(enum vrf_arg_kind k)
{
	return k != VRF_ARG_DONTCARE && k != VRF_ARG_ANYTHING && k != VRF_ARG_CONST_SIZE &&
	       k != VRF_ARG_CONST_SIZE_OR_ZERO && k != VRF_ARG_CONST_ALLOC_SIZE_OR_ZERO &&
	       k != VRF_ARG_UNKNOWN;
}

START_TEST(every_helper_has_an_entry)
{
	uint32_t id;

	ck_assert_uint_eq(vrf_helper_proto_max_id(), CHECK_HELPER_MAX_ID);
	ck_assert_ptr_null(vrf_helper_proto(0));
	ck_assert_ptr_null(vrf_helper_proto(CHECK_HELPER_MAX_ID + 1));
	ck_assert_ptr_null(vrf_helper_proto(UINT32_MAX));
	for (id = 1; id <= CHECK_HELPER_MAX_ID; id++) {
		const struct check_helper *h = check_helper_by_id(id);
		const struct vrf_helper_proto *p = vrf_helper_proto(id);

		if (!h)
			continue;
		ck_assert_msg(p != NULL, "helper %u (%s) has no prototype", id, h->name);
		ck_assert_uint_eq(p->id, id);
		ck_assert_str_eq(p->name, h->name + 4); /* "bpf_" */
		ck_assert_int_eq(p->gpl_only, h->gpl_only);
		ck_assert_uint_eq(p->since_major * 256u + p->since_minor, h->since);
		ck_assert_ptr_eq(vrf_helper_proto_by_name(h->name), p);
		ck_assert_ptr_eq(vrf_helper_proto_by_name(p->name), p);
	}
	ck_assert_ptr_null(vrf_helper_proto_by_name("no_such_helper"));
	ck_assert_ptr_null(vrf_helper_proto_by_name(NULL));
}
END_TEST

START_TEST(arguments_are_well_formed)
{
	uint32_t id, unknown = 0, total = 0;

	for (id = 1; id <= CHECK_HELPER_MAX_ID; id++) {
		const struct vrf_helper_proto *p = vrf_helper_proto(id);
		unsigned n;

		if (!p)
			continue;
		for (n = 0; n < VRF_HELPER_NARGS; n++) {
			const struct vrf_helper_arg *a = &p->args[n];

			ck_assert_int_lt(a->kind, VRF_ARG_KIND_COUNT);
			ck_assert_ptr_nonnull(a->accepts);
			total++;
			if (a->kind == VRF_ARG_UNKNOWN) {
				unknown++;
				continue;
			}
			/* DONTCARE only at the end: nargs counts the arguments before it. */
			if (n < p->nargs)
				ck_assert_msg(a->kind != VRF_ARG_DONTCARE, "%s arg%u: hole",
				              p->name, n + 1);
			else
				ck_assert_msg(a->kind == VRF_ARG_DONTCARE, "%s arg%u: past nargs",
				              p->name, n + 1);
			/* A size follows a memory argument that has no fixed size. */
			if (vrf_helper_arg_is_size(p, n)) {
				const struct vrf_helper_arg *m = &p->args[n - 1];

				ck_assert_msg(m->kind == VRF_ARG_PTR_TO_MEM ||
				                  m->kind == VRF_ARG_UNKNOWN,
				              "%s arg%u: size after %s", p->name, n + 1,
				              vrf_arg_kind_name(m->kind));
				ck_assert(!(m->flags & VRF_ARGF_MEM_FIXED_SIZE));
			}
			if (a->kind == VRF_ARG_PTR_TO_MEM && !(a->flags & VRF_ARGF_MEM_FIXED_SIZE))
				ck_assert_msg(vrf_helper_arg_is_size(p, n + 1) ||
				                  (n + 1 < VRF_HELPER_NARGS &&
				                   p->args[n + 1].kind == VRF_ARG_UNKNOWN),
				              "%s arg%u: memory without a size", p->name, n + 1);
			if (a->flags & VRF_ARGF_MEM_FIXED_SIZE)
				ck_assert_msg(a->size > 0 && a->kind == VRF_ARG_PTR_TO_MEM,
				              "%s arg%u: fixed size", p->name, n + 1);
			else
				ck_assert_uint_eq(a->size, 0);
			/* Flags of memory only on memory, NULL only on pointers. */
			if (a->flags &
			    (VRF_ARGF_MEM_RDONLY | VRF_ARGF_MEM_UNINIT | VRF_ARGF_MEM_WRITE))
				ck_assert_msg(vrf_arg_kind_is_mem(a->kind) ||
				                  a->kind == VRF_ARG_PTR_TO_DYNPTR,
				              "%s arg%u: memory flags on %s", p->name, n + 1,
				              vrf_arg_kind_name(a->kind));
			if (a->flags & VRF_ARGF_MAYBE_NULL)
				ck_assert(is_pointer_kind(a->kind));
			/* A probed pointer argument carries the kernel's list. */
			if (a->src == VRF_PROTO_PROBE && is_pointer_kind(a->kind))
				ck_assert_msg(a->accepts[0] != '\0', "%s arg%u: no list", p->name,
				              n + 1);
			if (a->kind == VRF_ARG_CONST_MAP_PTR && a->src == VRF_PROTO_PROBE)
				ck_assert_str_eq(a->accepts, "map_ptr");
			if (a->kind == VRF_ARG_PTR_TO_CTX && a->src == VRF_PROTO_PROBE)
				ck_assert_str_eq(a->accepts, "ctx");
		}
		ck_assert_int_lt(p->ret.kind, VRF_RET_KIND_COUNT);
		ck_assert_ptr_nonnull(p->ret.r0);
		if (p->ret.flags & VRF_RETF_MAYBE_NULL)
			ck_assert(p->ret.kind != VRF_RET_INTEGER && p->ret.kind != VRF_RET_VOID);
	}
	/* Most of the table must be known: no more than 1 argument in 10 unknown. */
	ck_assert_msg(unknown * 10 <= total, "%u of %u arguments unknown", unknown, total);
}
END_TEST

/* Facts from the helpers' C prototypes in the uapi header (include/uapi/linux/bpf.h). */
START_TEST(known_prototypes)
{
	const struct vrf_helper_proto *p;

	p = vrf_helper_proto_by_name("map_lookup_elem"); /* void *(map, const void *key) */
	ck_assert_uint_eq(p->nargs, 2);
	ck_assert_int_eq(p->args[0].kind, VRF_ARG_CONST_MAP_PTR);
	ck_assert_int_eq(p->args[1].kind, VRF_ARG_PTR_TO_MAP_KEY);
	ck_assert_int_eq(p->ret.kind, VRF_RET_PTR_TO_MAP_VALUE);
	ck_assert(p->ret.flags & VRF_RETF_MAYBE_NULL);
	ck_assert(p->pkt_access); /* a key may live in the packet */
	ck_assert(!p->might_sleep);

	p = vrf_helper_proto_by_name("copy_from_user"); /* sleepable programs only */
	ck_assert(p->might_sleep);

	p = vrf_helper_proto_by_name("map_update_elem"); /* (map, key, value, u64 flags) */
	ck_assert_uint_eq(p->nargs, 4);
	ck_assert_int_eq(p->args[2].kind, VRF_ARG_PTR_TO_MAP_VALUE);
	ck_assert_int_eq(p->args[3].kind, VRF_ARG_ANYTHING);
	ck_assert_int_eq(p->ret.kind, VRF_RET_INTEGER);

	p = vrf_helper_proto_by_name("ktime_get_ns"); /* u64 (void) */
	ck_assert_uint_eq(p->nargs, 0);
	ck_assert_int_eq(p->ret.kind, VRF_RET_INTEGER);

	p = vrf_helper_proto_by_name("probe_read_kernel"); /* (void *dst, u32 size, const void *) */
	ck_assert_uint_eq(p->nargs, 3);
	ck_assert_int_eq(p->args[0].kind, VRF_ARG_PTR_TO_MEM);
	ck_assert(p->args[0].flags & VRF_ARGF_MEM_WRITE);
	ck_assert(vrf_helper_arg_is_size(p, 1));
	ck_assert(!p->pkt_access);

	p = vrf_helper_proto_by_name("perf_event_output"); /* (ctx, map, flags, data, size) */
	ck_assert_uint_eq(p->nargs, 5);
	ck_assert_int_eq(p->args[0].kind, VRF_ARG_PTR_TO_CTX);
	ck_assert_int_eq(p->args[3].kind, VRF_ARG_PTR_TO_MEM);
	ck_assert(p->args[3].flags & VRF_ARGF_MEM_RDONLY);
	ck_assert(vrf_helper_arg_is_size(p, 4));

	p = vrf_helper_proto_by_name("ringbuf_reserve"); /* void *(ringbuf, u64 size, flags) */
	ck_assert_int_eq(p->args[1].kind, VRF_ARG_CONST_ALLOC_SIZE_OR_ZERO);
	ck_assert_int_eq(p->ret.kind, VRF_RET_PTR_TO_MEM);
	ck_assert(p->ret.flags & VRF_RETF_MAYBE_NULL);

	p = vrf_helper_proto_by_name("sk_lookup_tcp"); /* struct bpf_sock *(ctx, tuple, ...) */
	ck_assert_int_eq(p->ret.kind, VRF_RET_PTR_TO_SOCKET);
	ck_assert(p->ret.flags & VRF_RETF_MAYBE_NULL);

	/* Accepted register types, as the kernel listed them. */
	p = vrf_helper_proto_by_name("map_lookup_elem");
	ck_assert(vrf_helper_arg_accepts(&p->args[0], "map_ptr"));
	ck_assert(!vrf_helper_arg_accepts(&p->args[0], "map"));
	ck_assert(!vrf_helper_arg_accepts(&p->args[0], "scalar"));
	ck_assert(vrf_helper_arg_accepts(&p->args[1], "fp"));
	ck_assert(vrf_helper_arg_accepts(&p->args[1], "trusted_ptr_"));
	ck_assert(!vrf_helper_arg_accepts(&p->args[1], "ptr_"));
	ck_assert(!vrf_helper_arg_accepts(&p->args[1], "ctx"));
	ck_assert(!vrf_helper_arg_accepts(&p->args[2], "fp")); /* unused */
	ck_assert(!vrf_helper_arg_accepts(NULL, "fp"));
	ck_assert(!vrf_helper_arg_accepts(&p->args[1], ""));
	p = vrf_helper_proto_by_name("map_update_elem");
	ck_assert(vrf_helper_arg_accepts(&p->args[3], "fp")); /* ARG_ANYTHING */
	p = vrf_helper_proto_by_name("get_current_comm");
	ck_assert(vrf_helper_arg_accepts(&p->args[1], "scalar"));
	ck_assert(!vrf_helper_arg_accepts(&p->args[1], "fp"));

	ck_assert_str_eq(vrf_arg_kind_name(VRF_ARG_PTR_TO_MAP_KEY), "ARG_PTR_TO_MAP_KEY");
	ck_assert_str_eq(vrf_ret_kind_name(VRF_RET_INTEGER), "RET_INTEGER");
	ck_assert_str_eq(vrf_arg_kind_name((enum vrf_arg_kind)99), "ARG_?");
	ck_assert(!vrf_helper_arg_is_size(NULL, 1));
	ck_assert(!vrf_helper_arg_is_size(p, 0));
	ck_assert(!vrf_helper_arg_is_size(p, VRF_HELPER_NARGS));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("verifier_protos_table");
	TCase *tc = tcase_create("table");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, every_helper_has_an_entry);
	tcase_add_test(tc, arguments_are_well_formed);
	tcase_add_test(tc, known_prototypes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
