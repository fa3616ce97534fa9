/*
 * structure.c - the structural half of the kernel verifier, in the kernel's order.
 *
 * For one program the kernel stops at the first problem, and which problem that is
 * depends on its phases (bpf_prog_load(), then bpf_check(): add_subprog_and_kfunc(),
 * check_subprogs(), resolve_pseudo_ldimm64(), check_cfg(), do_check()).  This file runs
 * the same phases: the instruction count, subprograms and jump containment (cfg.c), the
 * ld_imm64 / opcode-table scan below, the DFS (cfg.c), and then the per-instruction field
 * checks (insn.c) in the order do_check() would reach the instructions.
 *
 * do_check() order: the kernel follows one path at a time.  At a conditional jump it
 * queues the branch target and continues with the fall-through; may_goto is the other
 * way round (target first, fall-through queued); a bpf-to-bpf call enters the callee and
 * its exit returns to the instruction after the call; more than 8 frames (e.g.
 * recursion) is "the call stack of %d frames is too deep".  Field errors do not depend
 * on register values, so each instruction is checked once, when first reached.  The walk
 * assumes both sides of every branch are feasible: where the kernel proves a branch dead
 * from register values (e.g. r0 = 0; if r0 != 0 goto ...), it never sees a bad
 * instruction there and we still report it.  Callbacks (ld_imm64 BPF_PSEUDO_FUNC) are
 * walked after the main program, as if passed to a callback-calling helper.
 */
#include "verifier/cfg.h"
#include "verifier/insn.h"
#include "verifier/verifier.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *id;
	int err;
} rule_table[VRF_R_COUNT] = {
#define VRF_RULE_ROW(e, id, err) [e] = {id, err},
    VRF_RULES(VRF_RULE_ROW)
#undef VRF_RULE_ROW
};

/* Why the kernel refuses it, and what to do: one entry per structural rule. */
static const struct {
	const char *explanation;
	const char *hint;
} rule_text[VRF_R_COUNT] = {
    [VRF_R_PROG_SIZE] = {"bpf(BPF_PROG_LOAD) refuses programs with no instructions or "
                         "more than 1,000,000 (4,096 without CAP_BPF) before the verifier "
                         "runs; the load fails with E2BIG and an empty log.",
                         "split the program (tail calls, separate programs) or check that "
                         "the right section was loaded"},
    [VRF_R_CALLS_UNPRIV] = {"without CAP_BPF the kernel accepts neither bpf-to-bpf calls "
                            "nor kfunc calls nor callback references.",
                            "load with CAP_BPF, or mark the functions __always_inline"},
    [VRF_R_CALL_DEST] = {"a bpf-to-bpf call (or a callback reference) jumps to "
                         "insn + imm + 1, which must be inside the program.",
                         "the call's relocation was not applied: link the program with all "
                         "its subprograms (libbpf does this when loading the object)"},
    [VRF_R_HELPER_ID] = {"a helper call (src_reg 0) names its helper by id; the kernel "
                         "refuses an id it does not know when a path reaches the call.",
                         "a call 0xbad2310 is a CO-RE relocation libbpf could not resolve: "
                         "guard the access with bpf_core_field_exists() / "
                         "bpf_core_type_exists(), or build against this kernel's vmlinux.h"},
    [VRF_R_HELPER_ARG_TYPE] = {"each helper argument accepts certain register types "
                               "(the kernel's bpf_func_proto); the register passed has "
                               "another.",
                               "pass what the helper's prototype asks for: a stack or map "
                               "value pointer for buffers and keys, the map itself, the "
                               "context, or a number"},
    [VRF_R_HELPER_ARG_SIZE] = {"a helper's size argument must be provably non-negative, "
                               "non-zero unless the helper allows zero, and below 2^29.",
                               "bound the length before the call: 'len &= MAX - 1' or "
                               "'if (len > MAX) return 0;', with an unsigned type"},
    [VRF_R_TOO_MANY_SUBPROGS] = {"the kernel keeps at most 256 subprograms per program.",
                                 "inline small functions (__always_inline)"},
    [VRF_R_KFUNC] = {"a kfunc call names its function by BTF id (imm) and module "
                     "(off, an fd_array index); the kernel looks it up before anything "
                     "else is verified.",
                     "declare the kfunc with __ksym and let libbpf resolve it against the "
                     "running kernel's BTF"},
    [VRF_R_JUMP_RANGE] = {"every jump must land inside the function it belongs to; "
                          "functions are entered only through calls.",
                          "check the jump offset, or call the other function instead"},
    [VRF_R_FALL_THROUGH] = {"execution must not run off the end of a function into the "
                            "next one or past the program: the last instruction of each "
                            "function must be exit or goto.",
                            "end the function with a return"},
    [VRF_R_LDIMM64] = {"ld_imm64 takes two slots; the second must have code, registers "
                       "and offset zero, and src_reg of the first selects a known form "
                       "(0, map fd/index, map value, BTF id, function).",
                       "emit BPF_LD_IMM64 / BPF_LD_MAP_FD pairs as a whole"},
    [VRF_R_MAP_FD] = {"an ld_imm64 map reference must name an open map.",
                      "create the map before loading and pass its fd"},
    [VRF_R_BAD_OPCODE] = {"the kernel knows a fixed set of opcodes (ISA up to cpu v4) "
                          "and refuses any other byte in the code field.",
                          "check the instruction encoding; this is not code a compiler emits"},
    [VRF_R_RESERVED] = {"fields an instruction does not use must be zero, so that "
                        "future ISA extensions can give them meaning.",
                        "clear the unused src_reg/dst_reg/off/imm fields"},
    [VRF_R_UNREACHABLE] = {"every instruction must be reachable from the entry; the "
                           "kernel refuses dead code.",
                           "remove the dead code (the compiler removes it at -O2)"},
    [VRF_R_LDIMM64_MIDDLE] = {"a jump must not land on the second half of an ld_imm64.",
                              "fix the jump offset to count ld_imm64 as two instructions"},
    [VRF_R_BACK_EDGE] = {"without CAP_BPF the kernel refuses every loop (a jump back "
                         "to an instruction on the current DFS path).",
                         "load with CAP_BPF (bounded loops) or unroll the loop"},
    [VRF_R_BAD_REG] = {"BPF has registers r0 to r10; register numbers 11 to 15 do not "
                       "exist.",
                       "check the instruction encoding"},
    [VRF_R_FP_WRITE] = {"r10 is the frame pointer and cannot be written.",
                        "copy r10 into another register and modify that"},
    [VRF_R_DIV_ZERO] = {"division or modulo by the constant zero is refused.",
                        "divide by a non-zero constant or by a register"},
    [VRF_R_SHIFT] = {"a constant shift amount must be less than the operand width.",
                     "use 0..31 for 32-bit and 0..63 for 64-bit shifts"},
    [VRF_R_ATOMIC] = {"atomic operations are add/and/or/xor (with or without fetch), "
                      "xchg and cmpxchg on 32/64-bit words, plus load-acquire and "
                      "store-release.",
                      "use one of the atomic operations the kernel implements"},
    [VRF_R_MAY_GOTO] = {"may_goto (JMP|JCOND) has only the offset field; the others "
                        "must be zero.",
                        "emit may_goto with src_reg, dst_reg and imm zero"},
    [VRF_R_ARENA_CAST] = {"addr_space_cast converts pointers between the arena "
                          "(address space 1) and the kernel (0), only in programs that "
                          "use an arena map.",
                          "add an arena map to the program or remove the cast"},
    [VRF_R_LD_ABS_PROG_TYPE] = {"the legacy LD_ABS/LD_IND packet loads exist only for "
                                "socket filters and tc programs.",
                                "read the packet through direct packet access or "
                                "bpf_skb_load_bytes()"},
    [VRF_R_CALL_DEPTH] = {"bpf-to-bpf calls may nest at most 8 frames; recursion always "
                          "exceeds that.",
                          "remove the recursion or flatten the call chain"},
    [VRF_R_TOO_COMPLEX] = {"the verifier gives up after processing 1,000,000 "
                           "instructions along all paths.",
                           "bound the loop more tightly or split the program"},
};

void structure_rule_text(enum vrf_rule rule, const char **explanation, const char **hint)
{
	bool in = rule >= 0 && rule < VRF_R_COUNT;

	*explanation = in ? rule_text[rule].explanation : NULL;
	*hint = in ? rule_text[rule].hint : NULL;
}

const char *vrf_rule_id(enum vrf_rule rule)
{
	return (unsigned)rule < VRF_R_COUNT ? rule_table[rule].id : NULL;
}

int vrf_rule_errno(enum vrf_rule rule)
{
	return (unsigned)rule < VRF_R_COUNT ? rule_table[rule].err : EINVAL;
}

/* resolve_pseudo_ldimm64(): BPF_LDX reserved fields, ld_imm64 pairs, the opcode table. */
static int check_ldimm64_and_opcodes(const struct bpf_insn *insns, int n,
                                     const struct vrf_options *opts, struct vrf_fault *f)
{
	char k[96], d[160];
	int i;

	for (i = 0; i < n; i++) {
		const struct bpf_insn *in = &insns[i];

		if (BPF_CLASS(in->code) == BPF_LDX &&
		    ((BPF_MODE(in->code) != BPF_MEM && BPF_MODE(in->code) != BPF_MEMSX) ||
		     in->imm != 0))
			return vrf_fault_set(f, VRF_R_RESERVED, i, "BPF_LDX uses reserved fields",
			                     "BPF_LDX instruction has an unknown mode or a "
			                     "non-zero imm");
		if (insn_is_ldimm64(in)) {
			if (i == n - 1 || in[1].code || in[1].dst_reg || in[1].src_reg || in[1].off)
				return vrf_fault_set(
				    f, VRF_R_LDIMM64, i, "invalid bpf_ld_imm64 insn",
				    i == n - 1 ? "ld_imm64 is the last slot: its "
				                 "second half is missing"
				               : "the second slot of ld_imm64 must "
				                 "have code, registers and offset 0");
			switch (in->src_reg) {
			case 0:
			case BPF_PSEUDO_BTF_ID:
			case BPF_PSEUDO_FUNC:
				break;
			case BPF_PSEUDO_MAP_FD:
			case BPF_PSEUDO_MAP_IDX:
				if (in[1].imm != 0)
					return vrf_fault_set(
					    f, VRF_R_LDIMM64, i, "unrecognized bpf_ld_imm64 insn",
					    "map reference ld_imm64 with a non-zero upper imm");
				/* fall through */
			case BPF_PSEUDO_MAP_VALUE:
			case BPF_PSEUDO_MAP_IDX_VALUE:
				if (opts && opts->map_fn &&
				    opts->map_fn(opts->map_ctx, in->src_reg, in->imm) < 0) {
					snprintf(k, sizeof(k),
					         "fd %d is not pointing to valid bpf_map", in->imm);
					snprintf(d, sizeof(d),
					         "ld_imm64 at insn %d refers to map %d, which does "
					         "not exist",
					         i, in->imm);
					return vrf_fault_set(f, VRF_R_MAP_FD, i, k, d);
				}
				if ((in->src_reg == BPF_PSEUDO_MAP_VALUE ||
				     in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE) &&
				    (uint32_t)in[1].imm >= (1u << 29)) {
					snprintf(k, sizeof(k),
					         "direct value offset of %u is not allowed",
					         (uint32_t)in[1].imm);
					return vrf_fault_set(f, VRF_R_LDIMM64, i, k,
					                     "map value offset is too large");
				}
				break;
			default:
				snprintf(d, sizeof(d), "ld_imm64 with unknown src_reg %d",
				         in->src_reg);
				return vrf_fault_set(f, VRF_R_LDIMM64, i,
				                     "unrecognized bpf_ld_imm64 insn", d);
			}
			i++;
			continue;
		}
		if (!insn_opcode_known(in->code)) {
			snprintf(k, sizeof(k), "unknown opcode %02x", in->code);
			snprintf(d, sizeof(d), "opcode 0x%02x at insn %d is not a BPF instruction",
			         in->code, i);
			return vrf_fault_set(f, VRF_R_BAD_OPCODE, i, k, d);
		}
	}
	return 0;
}

/* One pending path of the do_check() walk: where it resumes and its call frames. */
struct walk_item {
	int pc;
	int depth;                      /* frames above the entry one */
	int ret[VRF_MAX_CALL_FRAMES];   /* return address per frame; -1: callback, path ends */
	int entry[VRF_MAX_CALL_FRAMES]; /* first insn of each called function */
};

struct walk {
	const struct bpf_insn *insns;
	const struct cfg *cfg;
	struct insn_env env;
	unsigned char *seen;
	struct walk_item *stack;
	int sp;
	struct vrf_fault *f;
};

static void walk_push(struct walk *w, const struct walk_item *cur, int pc)
{
	if (w->sp >= w->cfg->n || w->seen[pc])
		return;
	w->stack[w->sp] = *cur;
	w->stack[w->sp].pc = pc;
	w->sp++;
}

/* A pseudo call at cur->pc: enter the callee (or skip it when already checked). */
static int walk_call(struct walk *w, struct walk_item *cur, const struct bpf_insn *in)
{
	int target = (int)insn_call_target(in, (size_t)cur->pc), d;
	char k[96], msg[160];

	for (d = 0; d < cur->depth; d++) {
		if (cur->entry[d] == target) { /* recursion: the kernel nests until the limit */
			snprintf(k, sizeof(k), "the call stack of %d frames is too deep",
			         VRF_MAX_CALL_FRAMES + 1);
			snprintf(msg, sizeof(msg),
			         "function at insn %d calls itself (recursion is not allowed)",
			         target);
			return vrf_fault_set(w->f, VRF_R_CALL_DEPTH, cur->pc, k, msg);
		}
	}
	if (cur->depth + 1 >= VRF_MAX_CALL_FRAMES) {
		snprintf(k, sizeof(k), "the call stack of %d frames is too deep", cur->depth + 2);
		return vrf_fault_set(w->f, VRF_R_CALL_DEPTH, cur->pc, k,
		                     "bpf-to-bpf calls nest deeper than 8 frames");
	}
	if (w->seen[target]) {
		cur->pc++;
		return 0;
	}
	cur->ret[cur->depth] = cur->pc + 1;
	cur->entry[cur->depth] = target;
	cur->depth++;
	cur->pc = target;
	return 0;
}

static int walk_path(struct walk *w, struct walk_item cur)
{
	for (;;) {
		const struct bpf_insn *in;
		int err;

		if (cur.pc < 0 || cur.pc >= w->cfg->n || w->seen[cur.pc])
			return 0;
		in = &w->insns[cur.pc];
		w->seen[cur.pc] = 1;
		err = insn_check_fields(in, cur.pc, &w->env, w->f);
		if (err)
			return err;
		if (insn_is_exit(in)) {
			if (cur.depth == 0)
				return 0;
			cur.pc = cur.ret[--cur.depth];
		} else if (insn_is_goto(in)) {
			cur.pc = (int)insn_jump_target(in, (size_t)cur.pc);
		} else if (in->code == (BPF_JMP | BPF_JCOND)) {
			walk_push(w, &cur, cur.pc + 1); /* may_goto: target first */
			cur.pc = (int)insn_jump_target(in, (size_t)cur.pc);
		} else if (insn_is_jump(in)) {
			walk_push(w, &cur, (int)insn_jump_target(in, (size_t)cur.pc));
			cur.pc++;
		} else if (insn_is_pseudo_call(in)) {
			err = walk_call(w, &cur, in);
			if (err)
				return err;
		} else {
			cur.pc += insn_is_ldimm64(in) ? 2 : 1;
		}
	}
}

static int walk_from(struct walk *w, int pc, bool callback)
{
	struct walk_item start = {.pc = pc};
	int err;

	if (callback) {
		start.depth = 1;
		start.ret[0] = -1;
		start.entry[0] = pc;
	}
	err = walk_path(w, start);
	while (!err && w->sp > 0) {
		w->sp--;
		err = walk_path(w, w->stack[w->sp]);
	}
	return err;
}

/* do_check(): per-instruction field checks in path order. */
static int check_fields_in_path_order(const struct bpf_insn *insns, const struct cfg *cfg,
                                      const struct vrf_options *opts, struct vrf_fault *f)
{
	struct walk w = {.insns = insns, .cfg = cfg, .f = f};
	int err = -ENOMEM, i;

	w.env.prog_type = opts ? opts->prog_type : BPF_PROG_TYPE_SOCKET_FILTER;
	w.env.flags = opts ? opts->flags : 0;
	w.seen = calloc((size_t)cfg->n, 1);
	w.stack = calloc((size_t)cfg->n, sizeof(*w.stack));
	if (!w.seen || !w.stack)
		goto out;
	err = walk_from(&w, 0, false);
	for (i = 0; !err && i < cfg->n; i++) {
		if (insn_is_pseudo_func(&insns[i])) {
			long t = insn_call_target(&insns[i], (size_t)i);

			if (t >= 0 && t < cfg->n && !w.seen[t])
				err = walk_from(&w, (int)t, true);
		}
		if (insn_is_ldimm64(&insns[i]))
			i++;
	}
out:
	free(w.seen);
	free(w.stack);
	return err;
}

static void report(struct diag_sink *sink, const struct vrf_options *opts,
                   const struct vrf_fault *f)
{
	struct diag d = {0};

	if (!sink)
		return;
	d.level = DIAG_ERROR;
	d.rule = vrf_rule_id(f->rule);
	d.category = diag_category_name(vrf_rule_category(f->rule));
	d.insn = f->insn;
	d.message = f->detail[0] ? f->detail : f->kmsg;
	d.kernel_msg = f->kmsg[0] ? f->kmsg : NULL;
	d.explanation = rule_text[f->rule].explanation;
	d.hint = rule_text[f->rule].hint;
	if (opts) {
		d.program = opts->program;
		d.section = opts->section;
		if (f->insn >= 0 && opts->locs)
			d.loc = opts->locs[f->insn];
		else if (f->insn >= 0 && opts->loc_fn)
			opts->loc_fn(opts->loc_ctx, (size_t)f->insn, &d.loc);
	}
	diag_emit(sink, &d);
}

static int check_size(size_t n, const struct vrf_options *opts, struct vrf_fault *f)
{
	size_t max =
	    opts && (opts->flags & VRF_F_UNPRIV) ? VRF_MAXINSNS_UNPRIV : VRF_COMPLEXITY_LIMIT_INSNS;
	char d[160];

	if (n > 0 && n <= max)
		return 0;
	if (n == 0)
		snprintf(d, sizeof(d), "program has no instructions");
	else
		snprintf(d, sizeof(d),
		         "program has %zu instructions, more than the kernel's "
		         "limit of %zu",
		         n, max);
	return vrf_fault_set(f, VRF_R_PROG_SIZE, -1, "", d);
}

/* All structural phases; on success *out (if given) receives the CFG with blocks. */
static int run_structure(const struct bpf_insn *insns, size_t n, const struct vrf_options *opts,
                         struct vrf_fault *f, struct cfg **out)
{
	unsigned flags = opts ? opts->flags : 0;
	struct cfg *cfg;
	int err;

	if (check_size(n, opts, f))
		return -EINVAL;
	cfg = cfg_new(n);
	if (!cfg)
		return -ENOMEM;
	err = cfg_find_subprogs(cfg, insns, opts, f);
	if (!err)
		err = cfg_check_subprogs(cfg, insns, f);
	if (!err)
		err = check_ldimm64_and_opcodes(insns, cfg->n, opts, f);
	if (!err)
		err = cfg_check_reachable(cfg, insns, flags, f);
	if (!err)
		err = check_fields_in_path_order(insns, cfg, opts, f);
	if (!err && out)
		err = cfg_build_blocks(cfg, insns);
	if (err || !out) {
		cfg_free(cfg);
		return err == -ENOMEM ? -ENOMEM : err ? -EINVAL : 0;
	}
	*out = cfg;
	return 0;
}

int verifier_check_structure_ex(const struct bpf_insn *insns, size_t n,
                                const struct vrf_options *opts, struct diag_sink *sink,
                                struct vrf_verdict *verdict)
{
	struct vrf_fault f = {.insn = -1};
	int err;

	if (!insns && n)
		return -EINVAL;
	err = run_structure(insns, n, opts, &f, NULL);
	if (verdict) {
		memset(verdict, 0, sizeof(*verdict));
		verdict->ok = err == 0;
		verdict->insn = err ? f.insn : -1;
		if (err == -EINVAL) {
			verdict->rule = f.rule;
			verdict->kernel_errno = vrf_rule_errno(f.rule);
			snprintf(verdict->kernel_msg, sizeof(verdict->kernel_msg), "%s", f.kmsg);
		}
	}
	if (err == -EINVAL)
		report(sink, opts, &f);
	return err;
}

int verifier_check_structure(const struct bpf_insn *insns, size_t n, const struct vrf_options *opts,
                             struct diag_sink *sink)
{
	return verifier_check_structure_ex(insns, n, opts, sink, NULL);
}

struct cfg *verifier_build_cfg(const struct bpf_insn *insns, size_t n,
                               const struct vrf_options *opts, struct diag_sink *sink)
{
	struct vrf_fault f = {.insn = -1};
	struct cfg *cfg = NULL;
	int err;

	if (!insns)
		return NULL;
	err = run_structure(insns, n, opts, &f, &cfg);
	if (err == -EINVAL)
		report(sink, opts, &f);
	else if (err && sink)
		diag_errorf(sink, NULL, NULL, "out of memory while checking program structure");
	return err ? NULL : cfg;
}
