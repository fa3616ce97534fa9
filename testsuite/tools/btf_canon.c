/*
 * btf_canon.c - prints an object's BTF in a form that does not depend on type ids.
 *
 * Two compilers can emit the same set of BTF types numbered differently.  LLVM's BTF
 * writer does so itself: the struct definitions and forward declarations it adds at the
 * end of a module come out in the order of their debug-info nodes' addresses, so the
 * same IR compiled after a bitcode round trip (clang -emit-llvm then clang -c, llc, or
 * bpfcc) numbers them differently from a one-step clang compile.  This tool describes
 * each type structurally — references to named structs, unions, enums and forward
 * declarations by kind and name, anonymous ones by their full description — and prints
 * the descriptions sorted, so two objects print the same text exactly when they hold the
 * same types.
 *
 * usage: btf_canon OBJECT.o   (exit 0 printed, 1 no or bad BTF, 2 usage)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

struct buf {
	char *s;
	size_t len, cap;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if (b->s && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
		b->s[b->len] = '\0';
	}
}

static void describe(const struct btf *btf, __u32 id, struct buf *b, int depth);

static const char *name_of(const struct btf *btf, const struct btf_type *t)
{
	const char *n = btf__name_by_offset(btf, t->name_off);
	return n && *n ? n : "(anon)";
}

/* A reference: named composite types by name (this also ends recursion), else inline. */
static void ref(const struct btf *btf, __u32 id, struct buf *b, int depth)
{
	const struct btf_type *t;

	if (id == 0) {
		put(b, "void");
		return;
	}
	t = btf__type_by_id(btf, id);
	if (!t) {
		put(b, "<bad id %u>", id);
		return;
	}
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
		if (t->name_off) {
			put(b, "%s:%s", btf_kind(t) == BTF_KIND_FWD ? "fwd" : "named",
			    name_of(btf, t));
			return;
		}
		break;
	default:
		break;
	}
	put(b, "(");
	describe(btf, id, b, depth + 1);
	put(b, ")");
}

static void describe(const struct btf *btf, __u32 id, struct buf *b, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	__u16 vlen;

	if (!t || depth > 64) {
		put(b, "<...>");
		return;
	}
	vlen = btf_vlen(t);
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		put(b, "INT %s size=%u enc=%u bits=%u off=%u", name_of(btf, t), t->size,
		    BTF_INT_ENCODING(*(__u32 *)(t + 1)), BTF_INT_BITS(*(__u32 *)(t + 1)),
		    BTF_INT_OFFSET(*(__u32 *)(t + 1)));
		break;
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_TYPE_TAG:
		put(b, "K%u %s -> ", btf_kind(t), name_of(btf, t));
		ref(btf, t->type, b, depth);
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		put(b, "ARRAY n=%u of ", a->nelems);
		ref(btf, a->type, b, depth);
		put(b, " index ");
		ref(btf, a->index_type, b, depth);
		break;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_members(t);
		put(b, "%s %s size=%u {", btf_kind(t) == BTF_KIND_STRUCT ? "STRUCT" : "UNION",
		    name_of(btf, t), t->size);
		for (__u16 i = 0; i < vlen; i++, m++) {
			put(b, " %s@%u:", btf__name_by_offset(btf, m->name_off), m->offset);
			ref(btf, m->type, b, depth);
			put(b, ";");
		}
		put(b, " }");
		break;
	}
	case BTF_KIND_ENUM: {
		const struct btf_enum *e = btf_enum(t);
		put(b, "ENUM %s size=%u signed=%d {", name_of(btf, t), t->size, btf_kflag(t));
		for (__u16 i = 0; i < vlen; i++, e++)
			put(b, " %s=%d", btf__name_by_offset(btf, e->name_off), e->val);
		put(b, " }");
		break;
	}
	case BTF_KIND_ENUM64: {
		const struct btf_enum64 *e = btf_enum64(t);
		put(b, "ENUM64 %s size=%u {", name_of(btf, t), t->size);
		for (__u16 i = 0; i < vlen; i++, e++)
			put(b, " %s=%llu", btf__name_by_offset(btf, e->name_off),
			    (unsigned long long)btf_enum64_value(e));
		put(b, " }");
		break;
	}
	case BTF_KIND_FWD:
		put(b, "FWD %s union=%d", name_of(btf, t), btf_kflag(t));
		break;
	case BTF_KIND_FUNC:
		put(b, "FUNC %s linkage=%u -> ", name_of(btf, t), btf_vlen(t));
		ref(btf, t->type, b, depth);
		break;
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *p = btf_params(t);
		put(b, "PROTO ret=");
		ref(btf, t->type, b, depth);
		put(b, " (");
		for (__u16 i = 0; i < vlen; i++, p++) {
			put(b, " %s:", btf__name_by_offset(btf, p->name_off));
			ref(btf, p->type, b, depth);
		}
		put(b, " )");
		break;
	}
	case BTF_KIND_VAR:
		put(b, "VAR %s linkage=%u -> ", name_of(btf, t), btf_var(t)->linkage);
		ref(btf, t->type, b, depth);
		break;
	case BTF_KIND_DATASEC: {
		const struct btf_var_secinfo *v = btf_var_secinfos(t);
		put(b, "DATASEC %s size=%u {", name_of(btf, t), t->size);
		for (__u16 i = 0; i < vlen; i++, v++) {
			put(b, " @%u+%u:", v->offset, v->size);
			ref(btf, v->type, b, depth);
		}
		put(b, " }");
		break;
	}
	case BTF_KIND_FLOAT:
		put(b, "FLOAT %s size=%u", name_of(btf, t), t->size);
		break;
	case BTF_KIND_DECL_TAG:
		put(b, "DECL_TAG %s idx=%d -> ", name_of(btf, t), btf_decl_tag(t)->component_idx);
		ref(btf, t->type, b, depth);
		break;
	default:
		put(b, "KIND%u %s", btf_kind(t), name_of(btf, t));
		break;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	struct btf *btf;
	char **lines;
	__u32 n;

	if (argc != 2) {
		fprintf(stderr, "usage: btf_canon OBJECT.o\n");
		return 2;
	}
	btf = btf__parse_elf(argv[1], NULL);
	if (!btf) {
		fprintf(stderr, "btf_canon: %s: no usable BTF: %s\n", argv[1], strerror(errno));
		return 1;
	}
	n = btf__type_cnt(btf);
	lines = calloc(n, sizeof(*lines));
	if (!lines)
		return 1;
	for (__u32 id = 1; id < n; id++) {
		struct buf b = {0};
		describe(btf, id, &b, 0);
		lines[id - 1] = b.s;
	}
	qsort(lines, n - 1, sizeof(*lines), cmp_str);
	for (__u32 i = 0; i + 1 < n; i++) {
		puts(lines[i]);
		free(lines[i]);
	}
	free(lines);
	btf__free(btf);
	return 0;
}
