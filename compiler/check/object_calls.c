/*
 * object_calls.c - which subprograms an entry program reaches, found as libbpf finds them.
 *
 * libbpf's bpf_object__reloc_code() walks a program's instructions; every bpf-to-bpf call
 * (BPF_PSEUDO_CALL) and every ld_imm64 of a function address (BPF_PSEUDO_FUNC, callbacks
 * for bpf_loop and friends) names a subprogram in .text.  With a relocation the target is
 * the symbol's value plus the instruction's addend (imm + 1 instructions for a call, imm
 * bytes for an address: a static function is reached through the .text section symbol);
 * without one (a call inside .text to a static function) it is relative to the call.
 * The first time a subprogram is met it is appended and walked at once, so the append
 * order is depth-first by first reference.
 */
#include "check/check.h"

#include <errno.h>
#include <stdlib.h>

#include "elf/object.h"

static bool is_call(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL;
}

static bool is_ldimm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static const struct obj_reloc *reloc_at(const struct obj_prog *prog, size_t insn)
{
	size_t lo = 0, hi = prog->nr_relocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (prog->relocs[mid].insn_idx < insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < prog->nr_relocs && prog->relocs[lo].insn_idx == insn ? &prog->relocs[lo] : NULL;
}

static const struct obj_prog *subprog_at(const struct obj_file *obj, int64_t text_insn)
{
	if (text_insn < 0)
		return NULL;
	for (size_t i = 0; i < obj->nr_subprogs; i++)
		if (obj->subprogs[i].sec_off == (uint64_t)text_insn * sizeof(struct bpf_insn))
			return &obj->subprogs[i];
	return NULL;
}

int check_find_callee(const struct obj_file *obj, const struct obj_prog *prog, size_t insn,
                      const struct obj_prog **callee)
{
	const struct bpf_insn *in;
	const struct obj_reloc *r;
	int64_t target;

	*callee = NULL;
	if (insn >= prog->insn_cnt)
		return -ENOENT;
	in = &prog->insns[insn];
	r = reloc_at(prog, insn);
	if (is_ldimm64(in)) {
		/* clang leaves src_reg 0; libbpf sets BPF_PSEUDO_FUNC for these */
		if (!r)
			return in->src_reg == BPF_PSEUDO_FUNC ? -EINVAL : -ENOENT;
		if (r->kind != OBJ_RELOC_SUBPROG_ADDR)
			return -ENOENT;
	} else if (is_call(in)) {
		if (r && r->kind != OBJ_RELOC_CALL)
			return r->kind == OBJ_RELOC_EXTERN_FUNC ? -ENOENT : -EINVAL;
	} else {
		return -ENOENT;
	}
	if (r) {
		if (obj->text_sec < 0 || r->sym->shndx != (unsigned)obj->text_sec ||
		    r->sym->value % sizeof(struct bpf_insn))
			return -EINVAL;
		if (is_call(in))
			target = (int64_t)(r->sym->value / sizeof(struct bpf_insn)) + in->imm + 1;
		else if (in->imm % (int32_t)sizeof(struct bpf_insn))
			return -EINVAL;
		else
			target = (int64_t)(r->sym->value / sizeof(struct bpf_insn)) +
			         in->imm / (int32_t)sizeof(struct bpf_insn);
	} else {
		if (obj->text_sec < 0 || prog->sec_idx != (unsigned)obj->text_sec)
			return -EINVAL;
		target = (int64_t)(prog->sec_off / sizeof(struct bpf_insn)) + (int64_t)insn +
		         in->imm + 1;
	}
	*callee = subprog_at(obj, target);
	return *callee ? 0 : -EINVAL;
}

static bool seen(const struct obj_prog **out, size_t n, const struct obj_prog *p)
{
	for (size_t i = 0; i < n; i++)
		if (out[i] == p)
			return true;
	return false;
}

/* Walks `p`, appending what it reaches; an explicit stack keeps deep chains safe. */
size_t check_reached_subprogs(const struct obj_file *obj, const struct obj_prog *prog,
                              const struct obj_prog **out)
{
	struct frame {
		const struct obj_prog *p;
		size_t next;
	} * stack;
	size_t n = 0, depth = 0;

	stack = calloc(obj->nr_subprogs + 1, sizeof(*stack));
	if (!stack)
		return 0;
	stack[depth++] = (struct frame){prog, 0};
	while (depth) {
		struct frame *f = &stack[depth - 1];
		const struct obj_prog *callee;

		if (f->next >= f->p->insn_cnt) {
			depth--;
			continue;
		}
		if (check_find_callee(obj, f->p, f->next++, &callee) == 0 && callee != prog &&
		    !seen(out, n, callee) && depth <= obj->nr_subprogs) {
			out[n++] = callee;
			stack[depth++] = (struct frame){callee, 0};
		}
	}
	free(stack);
	return n;
}
