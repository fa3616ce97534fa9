/*
 * transfer_mem.c - loads, stores, atomics, ld_imm64 and the legacy packet loads on the
 * abstract state (check_mem_access() for the stack, check_ld_imm(), check_ld_abs()).
 *
 * The stack is modelled as the kernel does for a privileged loader (CAP_BPF and
 * CAP_PERFMON): accesses through a frame pointer with a constant offset must be aligned to
 * their size ("misaligned stack access ...") and lie in [-512, 0) ("invalid read from /
 * write to stack R%d off=%d size=%d"); an 8-byte store of a register at a slot boundary
 * spills it (a later 8-byte load restores its exact state, pointer or scalar), a narrower
 * aligned store of a scalar spills the scalar too, a pointer can only be spilled whole
 * ("invalid size of register spill" / "... fill"), zero stores give STACK_ZERO bytes and
 * other stores STACK_MISC.  Reading bytes never written is allowed with CAP_PERFMON
 * (allow_uninit_stack) and gives an unknown scalar; only the unprivileged mode (VRF_F_UNPRIV)
 * refuses it with "invalid read from stack off %d+%d size %d".  Context accesses are
 * mem_ctx.c's, map value bounds mem_map.c's, packet accesses mem_pkt.c's.  Accesses with a
 * variable stack offset and accesses through every other pointer kind are permissive: loads
 * give unknown scalars, stores change nothing we track beyond the stack.
 */
#include <errno.h>
#include <stdio.h>

#include "verifier/ctx_access.h"
#include "verifier/calls.h"
#include "verifier/pkt.h"
#include "verifier/prog.h"
#include "verifier/ref.h"
#include "verifier/state.h"

static int bpf_size_bytes(uint8_t code)
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

/* A load of `size` bytes leaves a scalar coerced to that size (sign-extended for MEMSX). */
static void coerce_loaded(struct vrf_reg *r, int size, bool sx)
{
	if (r->type != VRF_T_SCALAR || size >= 8)
		return;
	if (sx)
		scalar_coerce_sx(&r->s, size);
	else
		scalar_coerce(&r->s, size);
}

static int stack_alignment(struct vrf_env *env, const struct vrf_reg *ptr, int off, int size,
                           int idx)
{
	struct tnum t = tnum_add(ptr->s.var_off, tnum_const((uint64_t)(int64_t)(ptr->off + off)));
	char tn[48];

	if (tnum_is_aligned(t, (uint64_t)size))
		return 0;
	if (tnum_is_const(ptr->s.var_off))
		snprintf(tn, sizeof(tn), "%lld", (long long)ptr->s.var_off.value);
	else
		tnum_strn(tn, sizeof(tn), ptr->s.var_off);
	return env_fault(env, VRF_R_STACK_MISALIGNED, idx,
	                 "stack access is not aligned to its size",
	                 "misaligned stack access off %s+%d+%d size %d", tn, ptr->off, off, size);
}

/* Bounds of a constant-offset stack access at fp + off (off includes reg->off). */
static int stack_bounds(struct vrf_env *env, const struct vrf_reg *ptr, int regno, int off,
                        int size, bool write, int idx)
{
	int64_t min_off = (int64_t)ptr->s.var_off.value + off;

	if (min_off >= -VRF_MAX_STACK && min_off <= -1 && min_off + size <= 0)
		return 0;
	return env_fault(env, VRF_R_STACK_BOUNDS, idx, "stack access outside the 512-byte frame",
	                 "invalid %s stack R%d off=%d size=%d", write ? "write to" : "read from",
	                 regno, off, size);
}

/* Stack frame of a stack pointer, slot and byte of address fp+addr. */
static struct vrf_frame *stack_frame(struct vrf_env *env, const struct vrf_reg *ptr)
{
	int fno = ptr->frameno <= env->cur.curframe ? ptr->frameno : env->cur.curframe;

	return env->cur.frame[fno];
}

static int stack_write(struct vrf_env *env, const struct vrf_reg *ptr, int64_t addr, int size,
                       const struct vrf_reg *val, const struct bpf_insn *in, int idx)
{
	int fno = ptr->frameno <= env->cur.curframe ? ptr->frameno : env->cur.curframe;
	int k = (int)((-addr - 1) / VRF_SLOT_SIZE),
	    b = (int)(addr + (int64_t)(k + 1) * VRF_SLOT_SIZE);
	struct vrf_reg fake;
	struct vrf_slot *s;
	int err, i;

	err = state_grow_stack(env, &env->cur, fno, k + 1);
	if (err)
		return err;
	err = dynptr_stack_write(env, env->cur.frame[fno], k, idx);
	if (err)
		return err;
	s = &env->cur.frame[fno]->slot[k];
	if (!val && BPF_CLASS(in->code) == BPF_ST && b == 0) {
		reg_mark_const(&fake, (uint64_t)(int64_t)in->imm);
		val = &fake;
	} else if (!val || (val->type == VRF_T_SCALAR && b != 0)) {
		bool zero = val ? tnum_equals_const(val->s.var_off, 0)
		                : BPF_CLASS(in->code) == BPF_ST && in->imm == 0;

		/* a write of data into a slot holding a spilled register scrubs the whole
		 * slot: every byte written before becomes misc (scrub_spilled_slot) */
		for (i = VRF_SLOT_SIZE - 1; i >= 0; i--)
			if (s->type[0] == VRF_S_SPILL && s->type[i] != VRF_S_INVALID)
				s->type[i] = VRF_S_MISC;
		for (i = b; i < b + size; i++)
			s->type[i] = zero ? VRF_S_ZERO : VRF_S_MISC;
		return 0;
	}
	if (val->type != VRF_T_SCALAR && size != VRF_SLOT_SIZE)
		return env_fault(env, VRF_R_SPILL_SIZE, idx,
		                 "a pointer can only be stored to the stack as a whole 8-byte word",
		                 "invalid size of register spill");
	if (val->type == VRF_T_STACK && fno != env->cur.curframe)
		return env_fault(
		    env, VRF_R_STACK_PTR_TO_CALLER, idx,
		    "a function stores a pointer to a stack into its caller's stack frame",
		    "cannot spill pointers to stack into stack frame of the caller");
	/* save_register_state(): aligned spill of `size` bytes */
	s->spill = *val;
	for (i = 0; i < VRF_SLOT_SIZE; i++) {
		if (i < size)
			s->type[i] = VRF_S_SPILL;
		else if (s->type[i] == VRF_S_SPILL)
			s->type[i] = VRF_S_MISC;
	}
	return 0;
}

/*
 * check_stack_write_var_off(): a store at a variable stack offset may hit any byte of
 * [smin, smax + size): each becomes misc (zero stays zero when zero is written), and a
 * register spilled in a slot it may hit is forgotten.  off includes the pointer's fixed
 * offset.  Ranges outside the frame are left to the bounds checks.
 */
static int stack_write_var(struct vrf_env *env, const struct vrf_reg *ptr, int off, int size,
                           const struct vrf_reg *val, const struct bpf_insn *in)
{
	int fno = ptr->frameno <= env->cur.curframe ? ptr->frameno : env->cur.curframe;
	bool zero = val ? val->type == VRF_T_SCALAR && tnum_equals_const(val->s.var_off, 0)
	                : BPF_CLASS(in->code) == BPF_ST && in->imm == 0;
	int64_t lo = ptr->s.smin + off, hi = ptr->s.smax + off + size, a;
	int err;

	if (ptr->s.smin < -VRF_MAX_STACK || ptr->s.smax > VRF_MAX_STACK || lo < -VRF_MAX_STACK ||
	    hi > 0 || lo >= hi)
		return 0;
	err = state_grow_stack(env, &env->cur, fno, (int)((-lo - 1) / VRF_SLOT_SIZE) + 1);
	if (err)
		return err;
	for (a = lo; a < hi; a++) {
		int k = (int)((-a - 1) / VRF_SLOT_SIZE),
		    b = (int)(a + (int64_t)(k + 1) * VRF_SLOT_SIZE);
		struct vrf_slot *s = &env->cur.frame[fno]->slot[k];
		int i;

		if (s->type[0] == VRF_S_SPILL)
			for (i = 0; i < VRF_SLOT_SIZE; i++)
				if (s->type[i] == VRF_S_SPILL)
					s->type[i] = VRF_S_MISC;
		if (s->type[b] == VRF_S_ITER || s->type[b] == VRF_S_DYNPTR)
			continue; /* the kernel refuses that write elsewhere */
		s->type[b] = zero && s->type[b] == VRF_S_ZERO ? VRF_S_ZERO : VRF_S_MISC;
	}
	return 0;
}

static int stack_read(struct vrf_env *env, const struct vrf_reg *ptr, int64_t addr, int size,
                      int off, struct vrf_reg *dst, int idx)
{
	struct vrf_frame *f = stack_frame(env, ptr);
	int k = (int)((-addr - 1) / VRF_SLOT_SIZE),
	    b = (int)(addr + (int64_t)(k + 1) * VRF_SLOT_SIZE);
	static const struct vrf_slot empty;
	const struct vrf_slot *s = k < f->nslots ? &f->slot[k] : &empty;
	int i, spill = 0, zero = 0;

	if (s->type[0] == VRF_S_SPILL) {
		if (size == VRF_SLOT_SIZE && s->type[7] == VRF_S_SPILL) {
			if (dst)
				*dst = s->spill;
			return 0;
		}
		if (s->spill.type != VRF_T_SCALAR)
			return env_fault(
			    env, VRF_R_SPILL_SIZE, idx,
			    "a spilled pointer can only be loaded as a whole 8-byte word",
			    "invalid size of register fill");
		if (b == 0 && s->type[size - 1] == VRF_S_SPILL) {
			if (dst) {
				*dst = s->spill;
				if (dst->s.umax >= (1ull << (8 * size))) {
					dst->id = 0;
					dst->off = 0;
				}
			}
			return 0;
		}
	}
	for (i = 0; i < size; i++) {
		uint8_t t = s->type[b + i];

		if (t == VRF_S_SPILL)
			spill++;
		else if (t == VRF_S_ZERO)
			zero++;
		else if (t == VRF_S_DYNPTR || t == VRF_S_ITER)
			/* check_stack_read_fixed_off(): only misc, zero (and, privileged,
			 * uninitialised) bytes are data */
			return env_fault(env, VRF_R_STACK_UNINIT, idx,
			                 "the stack bytes hold a dynptr or an iterator, which only "
			                 "their helpers and kfuncs may read",
			                 "invalid read from stack off %d+%d size %d", off, i, size);
		else if (t == VRF_S_INVALID && (env->ienv.flags & VRF_F_UNPRIV))
			return env_fault(env, VRF_R_STACK_UNINIT, idx,
			                 "stack bytes are read before they were written",
			                 "invalid read from stack off %d+%d size %d", off, i, size);
	}
	if (!dst)
		return 0;
	if (zero == size || (spill == size && s->spill.type == VRF_T_SCALAR &&
	                     tnum_equals_const(s->spill.s.var_off, 0)))
		reg_mark_const(dst, 0);
	else
		reg_mark_unknown(dst);
	return 0;
}

/* A memory access through register `regno` at insn offset `off`.  val: the stored register
 * (NULL for BPF_ST or a write of unknown data); dst: where a load goes (NULL for stores). */
static int mem_access(struct vrf_env *env, const struct bpf_insn *in, int idx, int regno, int off,
                      int size, bool write, const struct vrf_reg *val, struct vrf_reg *dst, bool sx)
{
	struct vrf_reg ptr = state_regs(&env->cur)[regno];
	int err;

	if (ptr.type == VRF_T_SCALAR && !ptr.maybe_ptr)
		return env_fault(env, VRF_R_INVALID_MEM, idx,
		                 "memory is accessed through a register that holds a number, not a "
		                 "pointer",
		                 "R%d invalid mem access 'scalar'", regno);
	/* memory that may be NULL (global function arguments): test it first */
	if (ptr.type == VRF_T_MEM && ptr.maybe_null)
		return env_fault(env, VRF_R_INVALID_MEM, idx,
		                 "the pointer may be NULL here: test it before the access",
		                 "R%d invalid mem access '%s'", regno, reg_type_name(&ptr));
	if (ptr.type == VRF_T_CTX)
		return mem_ctx_access(env, &ptr, regno, off, size,
		                      !write                          ? VRF_CTX_READ
		                      : BPF_CLASS(in->code) == BPF_ST ? VRF_CTX_ST
		                                                      : VRF_CTX_WRITE,
		                      sx, dst, idx);
	if (pkt_is_any(&ptr)) {
		err = mem_pkt_access(env, &ptr, regno, off, size, write, dst, idx);
		if (!err && dst)
			coerce_loaded(dst, size, sx);
		return err;
	}
	if (ptr.type == VRF_T_MAP_VALUE && ptr.maybe_null) {
		err = mem_map_null_deref(env, &ptr, regno, idx);
		if (err)
			return err;
	} else if (ptr.type == VRF_T_MAP_VALUE) {
		err = mem_map_access(env, &ptr, regno, off, size, write, dst, sx, idx);
		if (err)
			return err < 0 ? err : 0;
		/* kptr fields of the value (kptr.c) */
		err = kptr_map_access(env, in, &ptr, off, size, dst, idx);
		if (err)
			return err < 0 ? err : 0;
	}
	/* a kernel object pointer that may be NULL (a kptr field, an _or_null field) */
	if (ptr.type == VRF_T_BTF_ID && ptr.maybe_null && (ptr.flags & VRF_RF_KBTF))
		return env_fault(env, VRF_R_INVALID_MEM, idx,
		                 "the kernel object pointer may be NULL here: test it before the "
		                 "access",
		                 "R%d invalid mem access '%s'", regno, reg_type_name(&ptr));
	if (ptr.type == VRF_T_MAP_PTR) {
		err = mem_map_ptr_access(env, &ptr, regno, off, write, idx);
		if (err)
			return err;
	}
	if (ptr.type == VRF_T_BTF_ID) {
		err = mem_btf_access(env, &ptr, regno, off, size, write, dst, sx, idx);
		if (err)
			return err < 0 ? err : 0;
	}
	if (ptr.type == VRF_T_MEM || ptr.type == VRF_T_SOCKET) {
		err = mem_ref_access(env, &ptr, regno, off, size, write, idx);
		if (err)
			return err;
	}
	if (ptr.type != VRF_T_STACK) {
		if (dst) {
			reg_mark_unknown(dst);
			coerce_loaded(dst, size, sx);
			/* a pointer part one does not model: ctx fields of programs with direct
			 * packet or BTF access, 8-byte words of maps and kernel objects */
			dst->maybe_ptr =
			    !sx && (ptr.type == VRF_T_CTX
			                ? env->ienv.prog_type != BPF_PROG_TYPE_SOCKET_FILTER
			                : size == 8 || ptr.type == VRF_T_SCALAR);
		}
		return 0;
	}
	err = stack_alignment(env, &ptr, off, size, idx);
	if (err)
		return err;
	if (!tnum_is_const(ptr.s.var_off)) {
		/* variable offset: part two checks the range; any byte may change */
		if (ptr.s.smin > -2 * VRF_MAX_STACK && ptr.s.smin < 2 * VRF_MAX_STACK)
			calls_note_stack(env, ptr.frameno, ptr.s.smin + ptr.off + off);
		if (write) {
			err = stack_write_var(env, &ptr, ptr.off + off, size, val, in);
			if (err)
				return err;
		}
		if (dst)
			reg_mark_unknown(dst);
		return 0;
	}
	off += ptr.off;
	err = stack_bounds(env, &ptr, regno, off, size, write, idx);
	if (err)
		return err;
	calls_note_stack(env, ptr.frameno, (int64_t)ptr.s.var_off.value + off);
	if (write)
		return stack_write(env, &ptr, (int64_t)ptr.s.var_off.value + off, size, val, in,
		                   idx);
	err = stack_read(env, &ptr, (int64_t)ptr.s.var_off.value + off, size, off, dst, idx);
	if (!err && dst)
		coerce_loaded(dst, size, sx);
	return err;
}

/* check_ptr_alignment(strict): an atomic access is aligned to its size also in map values
 * and helper memory, where plain accesses need not be ("misaligned value access ..."). */
static int atomic_alignment(struct vrf_env *env, int regno, int off, int size, int idx)
{
	const struct vrf_reg *ptr = &state_regs(&env->cur)[regno];
	struct tnum t = tnum_add(ptr->s.var_off, tnum_const((uint64_t)(int64_t)(ptr->off + off)));
	char tn[48];

	if ((ptr->type != VRF_T_MAP_VALUE && ptr->type != VRF_T_MEM) || ptr->maybe_null ||
	    tnum_is_aligned(t, (uint64_t)size))
		return 0;
	if (tnum_is_const(ptr->s.var_off))
		snprintf(tn, sizeof(tn), "%lld", (long long)ptr->s.var_off.value);
	else
		tnum_strn(tn, sizeof(tn), ptr->s.var_off);
	return env_fault(env, VRF_R_ATOMIC_MISALIGNED, idx,
	                 "an atomic access is not aligned to its size",
	                 "misaligned %saccess off %s+%d+%d size %d",
	                 ptr->type == VRF_T_MAP_VALUE ? "value " : "", tn, ptr->off, off, size);
}

static int do_atomic(struct vrf_env *env, const struct bpf_insn *in, int idx, int size)
{
	struct vrf_reg *regs = state_regs(&env->cur);
	struct vrf_reg val;
	int err;

	if (in->imm == INSN_LOAD_ACQ) {
		err = transfer_check_read(env, in->src_reg, idx);
		if (err)
			return err;
		err =
		    mem_access(env, in, idx, in->src_reg, in->off, size, false, NULL, &val, false);
		if (!err)
			regs[in->dst_reg] = val;
		return err;
	}
	err = transfer_check_read(env, in->src_reg, idx);
	if (!err)
		err = transfer_check_read(env, in->dst_reg, idx);
	if (!err && in->imm == BPF_CMPXCHG)
		err = transfer_check_read(env, BPF_REG_0, idx);
	if (!err && in->imm != INSN_STORE_REL)
		err = mem_atomic_ptr_check(env, in->dst_reg, idx);
	if (!err)
		err = atomic_alignment(env, in->dst_reg, in->off, size, idx);
	if (err)
		return err;
	if (in->imm == INSN_STORE_REL)
		return mem_access(env, in, idx, in->dst_reg, in->off, size, true,
		                  &regs[in->src_reg], NULL, false);
	/* the old value is loaded as by a load of that size (zero-extended), then written */
	err = mem_access(env, in, idx, in->dst_reg, in->off, size, false, NULL, &val, false);
	if (!err)
		err = mem_access(env, in, idx, in->dst_reg, in->off, size, true, NULL, NULL, false);
	if (err)
		return err;
	regs = state_regs(&env->cur);
	if (in->imm == BPF_CMPXCHG)
		regs[BPF_REG_0] = val;
	else if (in->imm & BPF_FETCH)
		regs[in->src_reg] = val;
	return 0;
}

static void ld_imm64(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	struct vrf_reg *dst = &state_regs(&env->cur)[in->dst_reg];

	switch (in->src_reg) {
	case 0:
		reg_mark_const(dst,
		               (uint64_t)(uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32);
		return;
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_IDX:
		reg_mark_const(dst, 0);
		dst->type = VRF_T_MAP_PTR;
		dst->map = in->imm;
		dst->map_src = in->src_reg;
		return;
	case BPF_PSEUDO_MAP_VALUE:
	case BPF_PSEUDO_MAP_IDX_VALUE:
		reg_mark_const(dst, 0);
		dst->type = VRF_T_MAP_VALUE;
		dst->map = in->imm;
		dst->map_src = in->src_reg;
		dst->off = in[1].imm;
		return;
	case BPF_PSEUDO_FUNC:
		cb_mark_func(dst, idx + in->imm + 1);
		return;
	default:
		reg_mark_const(dst, 0);
		dst->type = VRF_T_OTHER;
		return;
	}
}

int transfer_mem(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	struct vrf_reg *regs = state_regs(&env->cur);
	int size = bpf_size_bytes(in->code), err, i;
	uint8_t cls = BPF_CLASS(in->code);
	struct vrf_reg val;

	switch (cls) {
	case BPF_LDX:
		err = transfer_check_read(env, in->src_reg, idx);
		if (err)
			return err;
		err = mem_access(env, in, idx, in->src_reg, in->off, size, false, NULL, &val,
		                 BPF_MODE(in->code) == BPF_MEMSX);
		if (!err)
			state_regs(&env->cur)[in->dst_reg] = val;
		return err;
	case BPF_STX:
		if (BPF_MODE(in->code) == BPF_ATOMIC)
			return do_atomic(env, in, idx, size);
		err = transfer_check_read(env, in->src_reg, idx);
		if (!err)
			err = transfer_check_read(env, in->dst_reg, idx);
		if (err)
			return err;
		/* a spilled scalar stays linked to its register (same id) when it fits */
		if (size == 8 || regs[in->src_reg].s.umax < (1ull << (8 * size)))
			reg_link_before_copy(env, &regs[in->src_reg]);
		val = regs[in->src_reg];
		if (val.type == VRF_T_SCALAR && size < 8 && val.s.umax >= (1ull << (8 * size))) {
			val.id = 0;
			val.off = 0;
		}
		return mem_access(env, in, idx, in->dst_reg, in->off, size, true, &val, NULL,
		                  false);
	case BPF_ST:
		err = transfer_check_read(env, in->dst_reg, idx);
		if (err)
			return err;
		return mem_access(env, in, idx, in->dst_reg, in->off, size, true, NULL, NULL,
		                  false);
	case BPF_LD:
		if (BPF_MODE(in->code) == BPF_IMM) {
			ld_imm64(env, in, idx);
			return 0;
		}
		/* LD_ABS / LD_IND: r6 is the skb, r1-r5 are clobbered, r0 is the result.
		 * check_ld_abs(): r6 readable, no reference held (the load may end the
		 * program), r6 the context itself, then the index register */
		err = transfer_check_read(env, BPF_REG_6, idx);
		if (!err)
			err = ref_check_leak(env, idx, "BPF_LD_[ABS|IND]");
		if (!err && regs[BPF_REG_6].type != VRF_T_CTX)
			return env_fault(env, VRF_R_LD_ABS_CTX, idx,
			                 "LD_ABS/LD_IND read the packet through the context, which "
			                 "must be in r6 when they run",
			                 "at the time of BPF_LD_ABS|IND R6 != pointer to skb");
		if (!err && BPF_MODE(in->code) == BPF_IND)
			err = transfer_check_read(env, in->src_reg, idx);
		if (err)
			return err;
		for (i = BPF_REG_1; i <= BPF_REG_5; i++)
			reg_mark_not_init(&regs[i]);
		/* mark_reg_unknown(): all 64 bits unknown, not bounded by the load's size */
		reg_mark_unknown(&regs[BPF_REG_0]);
		return 0;
	}
	return 0;
}
