/*
 * trace.c - the exploration trace (--verifier-log), in the spirit of the kernel's
 * log_level 2: each processed instruction in the kernel's syntax ("5: (bf) r1 = r10"),
 * then the registers and stack of the current frame ("5: R1=fp0 R10=fp0 fp-8=mmmmmmmm"),
 * "from 4 to 9:" when a queued branch resumes and "9: safe" when a path is pruned.
 *
 * Registers print as the kernel prints them: "scalar()" for an unknown scalar, the
 * number for a constant, "scalar(smin=...)" with the bounds otherwise, "ctx()", "fp-8",
 * "map_value_or_null(id=1)".  Stack bytes: '?' never written, 'r' spilled register,
 * 'm' misc, '0' zero (a slot holding a whole spilled register prints the register).
 * Lines go to opts->trace_fn; nothing is formatted when no callback is set.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "verifier/ref.h"
#include "verifier/state.h"

bool trace_on(const struct vrf_env *env)
{
	return env->opts && env->opts->trace_fn;
}

void trace_line(struct vrf_env *env, const char *fmt, ...)
{
	va_list ap;

	if (!trace_on(env))
		return;
	va_start(ap, fmt);
	vsnprintf(env->tbuf, sizeof(env->tbuf), fmt, ap);
	va_end(ap);
	env->opts->trace_fn(env->opts->trace_ctx, env->tbuf);
}

void trace_insn(struct vrf_env *env, int idx)
{
	char buf[160];

	if (insn_print(env->insns, (size_t)env->n, (size_t)idx, INSN_PRINT_CODE, buf, sizeof(buf)) <
	    0)
		buf[0] = 0;
	trace_line(env, "%d: %s", idx, buf);
}

/* print_reg_state() of a packet pointer: "pkt(id=2,off=14,r=34,smin=...)", r= always. */
static int trace_pkt(const struct vrf_reg *r, char *buf, size_t len)
{
	char sc[256] = "", id[24] = "", off[24] = "";

	if (r->id)
		snprintf(id, sizeof(id), "id=%u,", r->id);
	if (r->off)
		snprintf(off, sizeof(off), "off=%d,", r->off);
	if (!tnum_is_const(r->s.var_off)) {
		sc[0] = ',';
		scalar_strn(sc + 1, sizeof(sc) - 1, &r->s);
	}
	/* the kernel prints the negative "at / beyond data_end" ranges as u64 hex */
	if (r->range < 0)
		return snprintf(buf, len, "%s(%s%sr=0x%llx%s)", reg_type_name(r), id, off,
		                (unsigned long long)(int64_t)r->range, sc);
	return snprintf(buf, len, "%s(%s%sr=%d%s)", reg_type_name(r), id, off, r->range, sc);
}

int trace_reg(const struct vrf_reg *r, char *buf, size_t len)
{
	char sc[256];

	if (r->type == VRF_T_SCALAR) {
		if (tnum_is_const(r->s.var_off))
			return snprintf(buf, len, "%" PRId64, (int64_t)r->s.var_off.value);
		if (tnum_is_unknown(r->s.var_off) && r->s.smin == INT64_MIN &&
		    r->s.smax == INT64_MAX && r->s.umax == UINT64_MAX)
			return snprintf(buf, len, "scalar()");
		scalar_strn(sc, sizeof(sc), &r->s);
		return snprintf(buf, len, "scalar(%s)", sc);
	}
	if (r->type == VRF_T_MEM || r->type == VRF_T_SOCKET || r->type == VRF_T_BTF_ID)
		return trace_ref_reg(r, buf, len);
	if (r->type == VRF_T_STACK && tnum_is_const(r->s.var_off))
		return snprintf(buf, len, "fp%d", r->off + (int)(int64_t)r->s.var_off.value);
	if (r->type == VRF_T_PACKET || r->type == VRF_T_PACKET_META)
		return trace_pkt(r, buf, len);
	if (!tnum_is_const(r->s.var_off)) {
		scalar_strn(sc, sizeof(sc), &r->s);
		return snprintf(buf, len, "%s(id=%u,off=%d,%s)", reg_type_name(r), r->id, r->off,
		                sc);
	}
	if (r->id || r->off)
		return snprintf(buf, len, "%s(id=%u,off=%d)", reg_type_name(r), r->id, r->off);
	return snprintf(buf, len, "%s()", reg_type_name(r));
}

void trace_state(struct vrf_env *env, int idx)
{
	static const char stype[] = {'?', 'r', 'm', '0', 'd', '?', '?', '?'};
	const struct vrf_frame *f = state_cur_frame(&env->cur);
	char line[2048], r[320];
	size_t pos = 0;
	int i, k, b;

	pos += (size_t)snprintf(line + pos, sizeof(line) - pos, "%d:", idx);
	if (env->cur.curframe)
		pos += (size_t)snprintf(line + pos, sizeof(line) - pos,
		                        " frame%d:", env->cur.curframe);
	for (i = 0; i < INSN_NREGS && pos < sizeof(line); i++) {
		if (f->regs[i].type == VRF_T_NOT_INIT)
			continue;
		trace_reg(&f->regs[i], r, sizeof(r));
		pos += (size_t)snprintf(line + pos, sizeof(line) - pos, " R%d=%s", i, r);
	}
	for (k = 0; k < f->nslots && pos < sizeof(line); k++) {
		const struct vrf_slot *s = &f->slot[k];
		char bytes[VRF_SLOT_SIZE + 1];
		bool any = false;

		for (b = 0; b < VRF_SLOT_SIZE; b++) {
			bytes[VRF_SLOT_SIZE - 1 - b] = stype[s->type[b] & 7];
			any |= s->type[b] != VRF_S_INVALID;
		}
		bytes[VRF_SLOT_SIZE] = 0;
		if (!any)
			continue;
		if (s->type[0] == VRF_S_SPILL && s->type[7] == VRF_S_SPILL) {
			trace_reg(&s->spill, r, sizeof(r));
			pos += (size_t)snprintf(line + pos, sizeof(line) - pos, " fp%d=%s",
			                        -(k + 1) * VRF_SLOT_SIZE, r);
		} else {
			pos += (size_t)snprintf(line + pos, sizeof(line) - pos, " fp%d=%s",
			                        -(k + 1) * VRF_SLOT_SIZE, bytes);
		}
	}
	if (pos < sizeof(line))
		trace_ref_state(&env->cur, line + pos, sizeof(line) - pos);
	trace_line(env, "%s", line);
}
