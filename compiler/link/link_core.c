/*
 * link_core.c - CO-RE relocations applied to a function's instructions, as libbpf's
 * bpf_core_patch_insn() applies them once check_core_calc() has decided the values.
 *
 *  - ALU/ALU64 with an immediate operand: imm becomes the target value;
 *  - LDX/ST/STX: off becomes the target offset, and when the field's size differs on the
 *    target the access size follows it (only for pointers and unsigned integers; otherwise
 *    the instruction is poisoned, libbpf's "fail_memsz_adjust");
 *  - ld_imm64: the 64-bit value is split over the two halves.
 * The instruction must still hold the value the compiler computed from the object's BTF
 * (libbpf refuses the object otherwise: "unexpected insn ... value").  A relocation that
 * matched nothing on the target is poisoned: the instruction (both halves of an ld_imm64)
 * becomes a call of helper 0xbad2310, which the kernel refuses only if it can run.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <limits.h>

#include "check/check.h"
#include "link/link_int.h"

static void poison(struct bpf_insn *in)
{
	*in = (struct bpf_insn){.code = BPF_JMP | BPF_CALL, .imm = CHECK_CORE_POISON_IMM};
}

static int size_code(uint32_t bytes)
{
	switch (bytes) {
	case 1:
		return BPF_B;
	case 2:
		return BPF_H;
	case 4:
		return BPF_W;
	case 8:
		return BPF_DW;
	default:
		return -1;
	}
}

static uint32_t size_bytes(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B:
		return 1;
	case BPF_H:
		return 2;
	case BPF_W:
		return 4;
	default:
		return 8;
	}
}

static int core_error(struct link_ctx *c, const struct obj_prog *p, const struct obj_core_relo *r,
                      const char *spec, const char *what)
{
	struct diag_loc loc = obj_line_for_insn(p, r->insn);

	diag_errorf(c->sink, "link-core", &loc,
	            "CO-RE relocation of instruction %u of '%s' (%s '%s'): %s", r->insn, p->name,
	            obj_core_relo_kind_name(r->kind), spec, what);
	return -EINVAL;
}

static int patch(struct link_ctx *c, const struct obj_prog *p, const struct obj_core_relo *r,
                 const struct check_core_res *res, struct bpf_insn *in, size_t room)
{
	uint8_t cls = BPF_CLASS(in->code);

	if (res->poison) {
		if (in->code == (BPF_LD | BPF_IMM | BPF_DW) && room > 1)
			poison(in + 1);
		poison(in);
		return 0;
	}
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_SRC(in->code) != BPF_K)
			return core_error(c, p, r, res->spec,
			                  "not an ALU instruction with an immediate");
		if (res->validate && (uint32_t)in->imm != (uint32_t)res->orig_val)
			return core_error(c, p, r, res->spec,
			                  "the instruction's immediate is not the object's value");
		if (res->new_val > UINT32_MAX)
			return core_error(c, p, r, res->spec, "value does not fit in 32 bits");
		in->imm = (int32_t)(uint32_t)res->new_val;
		return 0;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		if (res->validate && (uint64_t)(int64_t)in->off != res->orig_val)
			return core_error(c, p, r, res->spec,
			                  "the instruction's offset is not the object's value");
		if (res->new_val > SHRT_MAX)
			return core_error(c, p, r, res->spec, "offset does not fit in 16 bits");
		in->off = (int16_t)res->new_val;
		if (r->kind == CHECK_CORE_FIELD_BYTE_OFFSET && res->orig_sz && res->new_sz &&
		    res->orig_sz != res->new_sz) {
			int sc = size_code(res->new_sz);

			if (size_bytes(in->code) != res->orig_sz)
				return core_error(c, p, r, res->spec,
				                  "unexpected memory access size");
			if (sc < 0) {
				poison(in);
				return 0;
			}
			in->code = (uint8_t)(BPF_MODE(in->code) | BPF_CLASS(in->code) | sc);
		}
		return 0;
	case BPF_LD:
		if (in->code != (BPF_LD | BPF_IMM | BPF_DW) || room < 2)
			return core_error(c, p, r, res->spec, "unexpected instruction");
		if (res->validate && ((uint64_t)(uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm
		                                                          << 32) != res->orig_val)
			return core_error(c, p, r, res->spec,
			                  "the instruction's value is not the object's value");
		in[0].imm = (int32_t)(uint32_t)res->new_val;
		in[1].imm = (int32_t)(uint32_t)(res->new_val >> 32);
		return 0;
	default:
		return core_error(c, p, r, res->spec, "unexpected instruction");
	}
}

int link_core_apply(struct link_ctx *c, const struct obj_prog *p, struct bpf_insn *insns)
{
	if (!c->target || !c->obj->btf)
		return 0;
	for (size_t i = 0; i < p->nr_core_relos; i++) {
		const struct obj_core_relo *r = &p->core_relos[i];
		struct check_core_res res;
		const char *why = NULL;
		int err;

		if (r->insn >= p->insn_cnt)
			return core_error(c, p, r, "?", "instruction out of range");
		if (check_core_calc_idx(c->obj->btf, r, c->target,
		                        c->opts ? c->opts->core_index : NULL, &res, &why))
			return core_error(c, p, r, r->access, why ? why : "malformed");
		err = patch(c, p, r, &res, &insns[r->insn], p->insn_cnt - r->insn);
		if (err)
			return err;
	}
	return 0;
}
