/*
 * run.c - verifier_run(): the preflight verifier's entry point, phase after phase as the
 * kernel's bpf_check() runs them.
 *
 * First the structural phases (verifier_check_structure_ex: size, subprograms, ld_imm64
 * and opcodes, the CFG, per-instruction fields); then, when they pass, the path
 * exploration of do_check() (explore.c) over the abstract state.  A finding of the
 * exploration becomes one diagnostic with the kernel's message, the instruction, its
 * source location and the branch decisions of the path that reached it; struct vrf_stats
 * gets the kernel's figures (processed instructions, total and peak states).
 *
 * Ordering: the kernel checks instruction fields while it walks the paths, so a value
 * error on a path before a bad field wins, and a bad field in code the values make
 * unreachable is never reported.  When the structural walk stops at such a field, the
 * exploration runs with the field checks enabled and decides; the structural verdict
 * stands when the field sits in a callback the exploration never entered.
 *
 * After a successful exploration the stack of every call chain is checked
 * (call_subprog.c), as the kernel does after do_check().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verifier/calls.h"
#include "verifier/kfunc.h"
#include "verifier/prog.h"
#include "verifier/state.h"
#include "verifier/verifier.h"

/* Why the kernel refuses it, and what to do: the rules of the exploration. */
static const struct {
	enum vrf_rule rule;
	const char *category; /* unused: rule_category.def decides */
	const char *explanation;
	const char *hint;
} run_text[] = {
    /* explanations for rules whose findings had none (docs/diagnostics.md) */
    {VRF_R_CTX_ACCESS, "context",
     "each program type lets a program read (and sometimes write) only certain fields of its "
     "context, at certain sizes; the kernel rewrites those accesses and refuses the others.",
     "access only the fields the program type offers, with the field's own size (use the "
     "struct from <linux/bpf.h> or vmlinux.h rather than raw offsets)"},
    {VRF_R_CTX_PTR_OFFSET, "context",
     "the context pointer must be dereferenced at a constant offset from its start: the "
     "kernel refuses a modified or variable-offset context pointer.",
     "read the field directly from the program's context argument (ctx->field), not "
     "through a pointer moved by a variable"},
    {VRF_R_ATOMIC_PTR, "memory safety",
     "atomic operations are allowed only on the stack, map values and memory the kernel "
     "allows it for; not on the context, packets or kernel objects.",
     "copy the value to the stack or a map value and operate on it there"},
    {VRF_R_MAP_VALUE_BOUNDS, "memory safety",
     "an access through a map value pointer must stay inside the value, for every value the "
     "offset may take on this path (value_size bytes from the pointer the lookup returned).",
     "check the index against the value's size first (if (i >= N) return 0;) or mask it, "
     "with an unsigned type"},
    {VRF_R_ITER_LEAK, "references",
     "an open-coded iterator (bpf_iter_*_new) must be destroyed with its _destroy function "
     "on every path before the program exits.",
     "call the matching bpf_iter_*_destroy() on every path, also after an early break"},
    {VRF_R_MAP_ACCESS_TYPE, "maps",
     "a map created with BPF_F_RDONLY_PROG (or BPF_F_WRONLY_PROG) may only be read (or only "
     "written) by programs; .rodata is read-only.",
     "do not write to const data or read-only maps; use a writable map or .bss/.data"},
    {VRF_R_NULL_DEREF, "pointers",
     "a pointer that may be NULL (a map lookup, a socket lookup, a ring buffer reservation) "
     "must be compared with NULL before the kernel lets it be used.",
     "check the pointer: if (!p) return 0; before reading or writing through it"},
    {VRF_R_STACK_PAST_FP, "stack",
     "the stack of a function lies below the frame pointer r10; an access at or above r10 "
     "is outside it.",
     "use negative offsets from the frame pointer (local variables), never r10 + n >= 0"},
    {VRF_R_PKT_BOUNDS, "packet",
     "direct packet access is allowed only for the bytes the program proved present by "
     "comparing data + n against data_end on the path that reaches the access.",
     "compare data + offset + size with data_end before the access, and access the packet "
     "only on the side of the comparison where it is long enough"},
    {VRF_R_PKT_BEYOND_END, "packet",
     "data_end marks the end of the packet: the kernel refuses arithmetic on it and "
     "accesses through it.",
     "use data_end only in comparisons with data + n"},
    {VRF_R_PKT_WRITE, "packet",
     "some program types may only read the packet (socket filters, cgroup skb, lwt_in and "
     "others); writes through a packet pointer are refused there.",
     "write the packet with a helper the program type offers (bpf_skb_store_bytes), or use "
     "a program type that may write it (tc, xdp)"},
    {VRF_R_SLEEPABLE_MAP, "maps",
     "sleepable programs may use only the map types whose elements stay valid while the "
     "program sleeps (hash, array, ring buffer, local storage and a few more).",
     "use another map type, or a non-sleepable program"},
    {VRF_R_UNINIT_REG, "register state",
     "the kernel tracks which registers hold a value on every path; reading one that was "
     "never written on this path (or that a call clobbered: r1-r5 after every call, r0 "
     "before it) is refused.",
     "initialise the variable on every path, and remember that r1-r5 do not survive calls"},
    {VRF_R_STACK_BOUNDS, "stack",
     "each function has 512 bytes of stack below r10; accesses must stay inside "
     "[r10-512, r10).",
     "use less stack (move big buffers into a per-CPU array map) or fix the offset"},
    {VRF_R_STACK_UNINIT, "stack",
     "without CAP_PERFMON the kernel refuses reading stack bytes that were never written.",
     "initialise the buffer (= {} or __builtin_memset) before reading it"},
    {VRF_R_STACK_MISALIGNED, "stack",
     "the kernel tracks the stack in 8-byte slots and requires every stack access to be "
     "aligned to its size.",
     "align the variable (or access it with a size matching its alignment)"},
    {VRF_R_SPILL_SIZE, "stack",
     "a pointer can be stored to the stack and loaded back only as a whole 8-byte word; "
     "the kernel refuses partial copies of pointers.",
     "store and load pointers with 64-bit accesses"},
    {VRF_R_INFINITE_LOOP, "loops",
     "the verifier came back to a loop head in exactly the same state as before: the loop "
     "cannot make progress, so it never ends.",
     "make the loop variable change on every iteration and bound it"},
    {VRF_R_TOO_COMPLEX, "complexity",
     "the verifier explores every path; it gives up after 1,000,000 instructions "
     "processed along all of them (loops count once per iteration).",
     "bound loops more tightly, use bpf_loop() or split the program with tail calls"},
    {VRF_R_JMP_SEQ, "complexity",
     "the verifier keeps at most 8192 branches waiting to be explored; long chains of "
     "conditions whose outcome it cannot decide exceed that.",
     "reduce the number of independent conditions in one path, or split the program"},
    {VRF_R_CALL_DEPTH, "calls", "bpf-to-bpf calls may nest at most 8 frames.",
     "flatten the call chain or inline functions"},
    {VRF_R_PTR_ARITH, "pointer arithmetic",
     "the kernel lets a register be added to the frame pointer but never subtracted from it "
     "(JITs may not handle it).",
     "add the negated value instead, or index from a pointer to the start of the buffer"},
    {VRF_R_PTR_OFFSET, "pointer arithmetic",
     "a pointer may only move by amounts the verifier can bound: the value added must have "
     "a known minimum and stay within +/-2^29.",
     "bound the value first (if (x > N) return ...; or x &= MASK) before adding it"},
    {VRF_R_STACK_PTR_TO_CALLER, "stack",
     "a called function may not store a pointer to a stack into its caller's frame: the "
     "pointer could outlive the frame it points to.",
     "return the value instead, or store it from the caller"},
    {VRF_R_INVALID_MEM, "memory safety",
     "loads and stores must go through a pointer the verifier knows (stack, context, map "
     "value, packet, ...); this register holds a plain number.",
     "dereference the pointer itself, not a number computed from it (32-bit operations and "
     "most arithmetic turn pointers into numbers)"},
    {VRF_R_JUMP_RANGE, "program structure", "execution must stay inside the program.",
     "check jump offsets"},
    {VRF_R_COMBINED_STACK, "calls",
     "the kernel adds up the stack frames of every chain of bpf-to-bpf calls (and of "
     "callbacks, counted as calls from the function that names them), each rounded up to "
     "16 bytes; a chain may use 512 bytes in total.",
     "move big buffers into a per-CPU array map, or mark small helpers __always_inline so "
     "that their frames merge"},
    {VRF_R_TAIL_CALL_STACK, "calls",
     "a tail call from a function deeper than the entry keeps its callers' frames on the "
     "stack; the kernel refuses it when they use 256 bytes or more.",
     "tail-call from the entry function, or shrink the callers' stack"},
    {VRF_R_CALLBACK_RETURN, "callbacks",
     "bpf_loop, bpf_for_each_map_elem, bpf_find_vma and bpf_user_ringbuf_drain callbacks "
     "must return 0 (go on) or 1 (stop); timer callbacks must return 0.",
     "return 0 or 1 explicitly (for example `return err ? 1 : 0;`)"},
    {VRF_R_GLOBAL_FUNC, "calls",
     "a global (non-static) function is verified once on its own from its BTF prototype; "
     "the kernel supports only those that return an integer and take at most five "
     "arguments.",
     "return int (or make the function static so that it is verified inline)"},
    {VRF_R_CALLBACK_R0, "callbacks",
     "a callback must return a number, and no function may return a pointer to its own "
     "stack.",
     "return 0 or 1"},
    {VRF_R_RETURN_CODE, "program type",
     "programs whose return value the kernel acts on (cgroup hooks, sock_ops, sk_lookup, "
     "netfilter, iterators) must return a value in the hook's range on every path.",
     "return 1 to allow and 0 to deny; report errors through a map, not the return value"},
    {VRF_R_HELPER_PROG_TYPE, "program type",
     "each program type offers its own set of helpers; the kernel refuses a call to one it "
     "does not offer, on a path that reaches it.",
     "use the helper meant for this program type, or another section"},
    {VRF_R_SLEEPABLE, "program type",
     "helpers that may sleep (to fault in user memory) are only for sleepable programs, "
     "which are loaded with BPF_F_SLEEPABLE and run outside RCU read sections.",
     "use a sleepable section (uprobe.s, lsm.s, fentry.s, iter.s) or a non-sleeping helper "
     "such as bpf_probe_read_user"},
    {VRF_R_SPIN_LOCK, "locking",
     "a bpf_spin_lock section must be short and flat: one lock at a time, no helper calls "
     "inside, and released on every path before the program returns.",
     "take the values needed before locking, and unlock on every path out of the section"},
    {VRF_R_SPIN_LOCK_PROG, "locking",
     "tracing programs and socket filters may run in contexts where taking a lock could "
     "deadlock; the kernel refuses any map with a bpf_spin_lock in them.",
     "use atomic operations (__sync_fetch_and_add) or a tp_btf/fentry program"},
    {VRF_R_RCU_LOCK, "locking",
     "bpf_rcu_read_lock() and bpf_rcu_read_unlock() must pair up on every path.",
     "unlock on every path out of the section"},
    {VRF_R_BTF_ACCESS, "kernel objects",
     "pointers to kernel objects typed by BTF may be read at constant offsets inside the "
     "object; tracing programs may never write through them.",
     "copy the value into a map or the stack and change it there; kernel state is changed "
     "only through helpers and kfuncs"},
    {VRF_R_REF_LEAK, "references",
     "objects a program acquires (ring buffer reservations, sockets from lookups, kernel "
     "objects from kfuncs, iterators, ring buffer dynptrs) must be given back on every path "
     "before the program ends or tail-calls.",
     "submit or discard the record / release the object on every early return too"},
    {VRF_R_REF_RELEASE, "references",
     "a release call takes the pointer the acquiring call returned, checked against NULL "
     "and unmodified, and only once.",
     "pass the original pointer, and do not release it twice"},
    {VRF_R_KFUNC_UNRESOLVED, "kernel functions",
     "a __weak kfunc the target kernel lacks is left by libbpf as a call with id 0; the "
     "kernel accepts it only when no path reaches the call (dead code it removes).",
     "guard the call with `if (bpf_ksym_exists(func))` (or test the function's address) "
     "so that kernels without it skip it"},
    {VRF_R_MEM_BOUNDS, "memory safety",
     "memory handed out by a helper (a ring buffer record, a dynptr slice) has the size "
     "asked for; every access must stay inside it.",
     "reserve a record large enough, or bound the index before using it"},
    {VRF_R_DYNPTR, "references",
     "a dynptr must be initialised before use, released exactly once when it holds a "
     "reference, and not overwritten while it is live.",
     "initialise the dynptr on every path and release ring buffer dynptrs exactly once"},
    {VRF_R_MAP_FUNC, "maps",
     "many helpers work on one kind of map only (bpf_perf_event_output on a "
     "BPF_MAP_TYPE_PERF_EVENT_ARRAY, bpf_ringbuf_* on a BPF_MAP_TYPE_RINGBUF, bpf_tail_call on "
     "a BPF_MAP_TYPE_PROG_ARRAY, bpf_get_stackid on a BPF_MAP_TYPE_STACK_TRACE, "
     "bpf_redirect_map on a DEVMAP, CPUMAP or XSKMAP), and many map types work with their own "
     "helpers only (a program array, ring buffer, perf event array or stack trace map cannot "
     "be read with bpf_map_lookup_elem); the kernel checks the pair at every call.",
     "declare the map with the type the helper needs (__uint(type, ...) in the map "
     "definition), or use the helper made for the map's type"},
    {VRF_R_MAP_CALLBACK, "maps",
     "bpf_for_each_map_elem runs its callback on the elements of hash and array maps (plain, "
     "per-CPU and LRU); other map types have no per-element walk and the kernel refuses them "
     "(ENOTSUPP).",
     "walk the map from userspace, or keep the data in a hash or array map"},
    {VRF_R_MAP_PROG, "maps",
     "tracing programs (kprobe, tracepoint, perf_event, raw_tp) can run in any context, "
     "also where a timer or work queue callback could deadlock; the kernel refuses them any "
     "map whose value holds a struct bpf_timer or bpf_wq, when the program is loaded.",
     "arm the timer from another program type (tp_btf, fentry, tc, xdp), or keep the timer "
     "in a map this program does not use"},
    {VRF_R_KFUNC_ARG, "kernel objects",
     "kfuncs that take trusted, RCU-protected or released objects (bpf_task_acquire, "
     "bpf_task_release, bpf_cgroup_acquire, bpf_cpumask_*...) must be given a pointer that "
     "is known not to be NULL: the result of an acquiring kfunc or lookup is NULL-tested "
     "first.",
     "test the pointer against NULL before passing it (if (!p) return 0;)"},
    {VRF_R_KFUNC_TRUST, "kernel objects",
     "kfuncs with trusted arguments (bpf_send_signal_task, bpf_cpumask_*, release kfuncs) "
     "take only kernel objects the kernel vouches for: a referenced one, a trusted program "
     "argument, or a field the kernel lists as trusted; RCU kfuncs (bpf_task_acquire, "
     "bpf_cgroup_acquire) also take RCU-protected ones read inside an RCU read section.  A "
     "pointer walked from another object or loaded from a map's kptr field is not trusted.",
     "acquire the object first (bpf_task_acquire, bpf_kptr_xchg), or read the field inside "
     "bpf_rcu_read_lock()/bpf_rcu_read_unlock() when it is RCU-protected"},
    {VRF_R_KPTR_ACCESS, "maps",
     "a `__kptr` field of a map value holds a referenced kernel object: the program may "
     "load it (getting a pointer that may be NULL and is not trusted) but only "
     "bpf_kptr_xchg() may put something there; fields are accessed whole, 8 bytes at their "
     "own offset.",
     "use bpf_kptr_xchg(&v->field, ptr) to store (and release what it returns)"},
    {VRF_R_KFUNC_PROG_TYPE, "program type",
     "the kernel registers each kfunc for some program types only (register_btf_kfunc_id_set "
     "per hook); a call from another program type is refused when the program is loaded.",
     "call it from a program type that may use it (tp_btf, fentry, tc, xdp, ...), or use "
     "a helper this program type offers"},
    {VRF_R_LD_ABS_CTX, "packet",
     "the legacy packet loads (LD_ABS/LD_IND, load_byte() and friends) read the packet "
     "through the context, which they take from r6: r6 must hold the unmodified context "
     "pointer when they run.",
     "keep the context in r6 (`r6 = r1` at the start) and do not reuse r6 before the load"},
    {VRF_R_BTF_GPL, "program type",
     "reading kernel structures through BTF pointers (tp_btf and fentry arguments, "
     "bpf_get_current_task_btf(), fields of those) is reserved to programs under a "
     "GPL-compatible license.",
     "declare char LICENSE[] SEC(\"license\") = \"GPL\"; (or \"Dual BSD/GPL\"), or read "
     "the fields with bpf_probe_read_kernel()"},
    {VRF_R_ATOMIC_MISALIGNED, "memory safety",
     "atomic instructions (__sync_fetch_and_add, lock xadd, cmpxchg, load-acquire, "
     "store-release) need an address aligned to their size, in map values and kernel "
     "memory too, even where plain loads and stores may be misaligned.",
     "place the atomic counter at an offset that is a multiple of its size"},
    {VRF_R_MAP_PTR_ACCESS, "maps",
     "a map pointer (&map) can only be read, at the offsets of the kernel's struct behind "
     "the map (struct bpf_array, bpf_htab, ...): no negative offsets and no writes.",
     "read map properties through the map's own struct (CO-RE), never write through &map"},
    {VRF_R_HELPER_FLAGS, "helpers",
     "some helpers take a flags argument that must be a known zero (bpf_get_local_storage: "
     "the cgroup storage has no flags yet).",
     "pass 0 as the flags argument"},
};

void vrf_rule_text(enum vrf_rule rule, const char **explanation, const char **hint)
{
	*explanation = *hint = NULL;
	for (size_t k = 0; k < sizeof(run_text) / sizeof(run_text[0]); k++) {
		if (run_text[k].rule == rule) {
			*explanation = run_text[k].explanation;
			*hint = run_text[k].hint;
			return;
		}
	}
	structure_rule_text(rule, explanation, hint);
}

static uint64_t run_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void run_report(struct vrf_env *env, struct diag_sink *sink)
{
	const struct vrf_options *opts = env->opts;
	const struct vrf_fault *f = env->fault;
	struct diag_step steps[VRF_PATH_STEPS];
	char texts[VRF_PATH_STEPS][96];
	const struct vrf_state *st = &env->cur;
	struct diag d = {0};
	unsigned i, n, first;

	if (!sink)
		return;
	d.level = DIAG_ERROR;
	d.rule = vrf_rule_id(f->rule);
	d.insn = f->insn;
	d.message = f->detail[0] ? f->detail : f->kmsg;
	d.kernel_msg = f->kmsg[0] ? f->kmsg : NULL;
	vrf_rule_text(f->rule, &d.explanation, &d.hint);
	/* The kernel's category (rule_category.def); run_text[].category is not used. */
	d.category = diag_category_name(vrf_rule_category(f->rule));
	/* checks after the exploration (insn -1) have no path */
	n = f->insn < 0 ? 0 : st->nsteps < VRF_PATH_STEPS ? st->nsteps : VRF_PATH_STEPS;
	first = st->nsteps - n;
	for (i = 0; i < n; i++) {
		const struct vrf_step *s = &st->steps[(first + i) % VRF_PATH_STEPS];

		memset(&steps[i], 0, sizeof(steps[i]));
		steps[i].insn = s->insn;
		steps[i].kind = s->taken ? DIAG_STEP_BRANCH_TAKEN : DIAG_STEP_BRANCH_NOT_TAKEN;
		steps[i].target = s->target;
		snprintf(texts[i], sizeof(texts[i]), "%s at insn %d: goes to insn %d",
		         s->taken ? "branch taken" : "branch not taken", s->insn, s->target);
		steps[i].text = texts[i];
		if (opts && opts->locs)
			steps[i].loc = opts->locs[s->insn];
		else if (opts && opts->loc_fn)
			opts->loc_fn(opts->loc_ctx, (size_t)s->insn, &steps[i].loc);
	}
	d.path = n ? steps : NULL;
	d.path_len = n;
	if (opts) {
		d.program = opts->program;
		d.section = opts->section;
		int at = f->insn;

		/* the kernel's log shows the line it printed last on this path: when the
		 * failing insn's line was printed before, on another path, that earlier one */
		if (at >= 0 && at < env->n && env->linfo && st->log_line_insn > 0 &&
		    st->log_line_insn <= env->n &&
		    env->linfo[at] != env->linfo[st->log_line_insn - 1])
			at = st->log_line_insn - 1;
		if (at >= 0 && opts->locs)
			d.loc = opts->locs[at];
		else if (at >= 0 && opts->loc_fn)
			opts->loc_fn(opts->loc_ctx, (size_t)at, &d.loc);
	}
	diag_emit(sink, &d);
}

/*
 * Is the structural finding one that do_check() reports only when a path reaches the
 * instruction (a bad field, checked by insn_check_fields(), or call depth)?  Then the
 * exploration decides: a value error earlier on the path wins, and code the values make
 * unreachable is never looked at, as in the kernel.
 */
static bool run_fault_on_path(const struct vrf_env *env, const struct vrf_verdict *v)
{
	struct vrf_fault f = {.insn = -1};

	if (v->rule == VRF_R_CALL_DEPTH)
		return true;
	if (v->insn < 0 || v->insn >= env->n)
		return false;
	return insn_check_fields(&env->insns[v->insn], v->insn, &env->ienv, &f) < 0 &&
	       f.rule == v->rule && strcmp(f.kmsg, v->kernel_msg) == 0;
}

/*
 * The exploration never reached the structural finding's instruction, in a function it
 * never entered at all, although the program has callbacks (some helpers and kfuncs take
 * callbacks bpfcc does not follow): keep the structural verdict.  When the function was
 * entered, the instruction is dead on every explored path (as a bpf_loop body that runs
 * only as often as its count allows) and the kernel never looks at it either.  Callbacks
 * count only when a reached ld_imm64 names this function: one named from dead code only
 * is never verified by the kernel (nor is a function only they call: accepted).
 */
static bool run_fault_unexplored(const struct vrf_env *env, const struct vrf_verdict *v)
{
	int i, sp;

	if (v->insn < 0 || v->insn >= env->n || env->reached[v->insn])
		return false;
	sp = env->calls ? calls_subprog_of(env, v->insn) : -1;
	if (sp >= 0) {
		const struct cfg_subprog *s = &env->calls->cfg->subprogs[sp];

		for (i = s->start; i < s->end && i < env->n; i++)
			if (env->reached[i])
				return false;
	}
	for (i = 0; i < env->n; i++)
		if (insn_is_pseudo_func(&env->insns[i]) && env->reached[i] &&
		    (sp < 0 || calls_subprog_of(env, i + 1 + env->insns[i].imm) == sp))
			return true;
	return false;
}

/*
 * The limits hit, or a loop seen to come back to the same state, in a program that calls
 * kfuncs: open-coded iterators (bpf_iter_*_next) converge in the kernel through iterator
 * states part one does not model (each iterator counts its rounds, so two rounds are never
 * the same state, and the kernel stops re-exploring at the next call instead), so such a
 * finding here says nothing about the kernel's verdict.  Accept (permissive).
 */
static bool run_undecidable(const struct vrf_env *env, const struct vrf_fault *f)
{
	int i;

	if (f->rule != VRF_R_TOO_COMPLEX && f->rule != VRF_R_JMP_SEQ &&
	    f->rule != VRF_R_INFINITE_LOOP)
		return false;
	for (i = 0; i < env->n; i++)
		if (insn_is_kfunc_call(&env->insns[i]))
			return true;
	return false;
}

/*
 * A finding on a path where a callback round widened spilled scalars the kernel may have
 * kept exact (call_cb.c): explore again without widening.  A finding there is sure (the
 * values are at least as exact as the kernel's); the limits or a loop are not, they
 * accept.  When the second run confirms the first one's finding (same rule, same insn),
 * the first run is the one that followed the kernel's order: its path, source line and
 * figures (processed insns, states) are reported; the second run only decided the verdict.
 */
static int run_without_widening(struct vrf_env *env)
{
	struct vrf_fault first = *env->fault;
	struct vrf_state first_cur = {0};
	uint64_t processed = env->insn_processed;
	uint32_t total = env->total_states, peak = env->peak_states;
	int first_start = env->path_start;
	bool have_first;
	int i, err;

	have_first = state_copy(env, &first_cur, &env->cur) == 0;
	first_cur.parent = NULL; /* its checkpoints are freed below */
	for (i = 0; i < env->npending; i++)
		state_release(env, &env->pending[i].st);
	env->npending = 0;
	state_release(env, &env->cur);
	prune_free_all(env);
	env->insn_processed = env->prev_insn_processed = 0;
	env->jmps_processed = env->prev_jmps_processed = 0;
	env->total_states = env->cur_states = env->peak_states = 0;
	*env->fault = (struct vrf_fault){.insn = -1};
	if (env->reached)
		memset(env->reached, 0, (size_t)env->n);
	env->calls->no_widen = true;
	env->calls->cb_rounds = false;
	memset(env->calls->verified, 0, (size_t)env->calls->cfg->nsubprogs);
	err = prune_prepare(env);
	if (!err)
		err = explore_run(env);
	if (!err)
		err = calls_run_globals(env);
	if (err == -EINVAL && (run_undecidable(env, env->fault) || cb_fault_undecided(env)))
		err = 0;
	if (err == -EINVAL && have_first && env->fault->rule == first.rule &&
	    env->fault->insn == first.insn) {
		state_release(env, &env->cur);
		env->cur = first_cur;
		have_first = false;
		*env->fault = first;
		env->insn_processed = processed;
		env->total_states = total;
		env->peak_states = peak;
		env->path_start = first_start;
	}
	if (have_first)
		state_release(env, &first_cur);
	return err;
}

static void run_free(struct vrf_env *env)
{
	int i;

	for (i = 0; i < env->npending; i++)
		state_release(env, &env->pending[i].st);
	free(env->pending);
	state_release(env, &env->cur);
	prune_free_all(env);
	calls_free(env);
	free(env->linfo);
	env->linfo = NULL;
	path_free(env);
}

int verifier_run(const struct bpf_insn *insns, size_t n, const struct vrf_options *opts,
                 struct diag_sink *sink, struct vrf_verdict *verdict, struct vrf_stats *stats)
{
	uint64_t start = run_now_ns();
	struct vrf_fault fault = {.insn = -1};
	struct vrf_env *env = NULL;
	struct vrf_verdict sv;
	bool on_path;
	int err;

	if (stats)
		*stats = (struct vrf_stats){0};
	if (verdict) {
		memset(verdict, 0, sizeof(*verdict));
		verdict->ok = true;
		verdict->insn = -1;
	}
	env = calloc(1, sizeof(*env));
	if (!env) {
		err = -ENOMEM;
		goto out;
	}
	env->insns = insns;
	env->n = (int)n;
	env->opts = opts;
	env->fault = &fault;
	env->ienv.prog_type = opts ? opts->prog_type : BPF_PROG_TYPE_SOCKET_FILTER;
	env->ienv.flags = opts ? opts->flags : 0;
	err = verifier_check_structure_ex(insns, n, opts, NULL, &sv);
	if (err == -EINVAL && run_fault_on_path(env, &sv)) {
		env->check_fields = true;
		env->reached = calloc(n, 1);
		err = env->reached ? 0 : -ENOMEM;
	} else if (err) {
		/* again, to report it */
		err = verifier_check_structure_ex(insns, n, opts, sink, verdict);
		goto out;
	}
	if (!err)
		err = lock_check_maps(env);
	if (!err)
		err = prune_prepare(env);
	if (!err)
		err = calls_prepare(env);
	if (!err)
		err = explore_run(env);
	if (!err)
		err = calls_run_globals(env);
	if (err == -EINVAL && env->cur.cb_widened)
		err = run_without_widening(env);
	else if (err == -EINVAL && (run_undecidable(env, &fault) || cb_fault_undecided(env)))
		err = 0;
	on_path = err == -EINVAL; /* env->cur is the path that failed */
	if (!err)
		err = calls_check_stack_depth(env);
	if (!err)
		err = kfunc_check_unresolved(env);
	if (!err && env->check_fields && run_fault_unexplored(env, &sv)) {
		/* a bad field in code the exploration skipped (callbacks): as the structure */
		err = verifier_check_structure_ex(insns, n, opts, sink, verdict);
		goto stats;
	}
	if (err == -EINVAL && env->check_fields && fault.rule == sv.rule && fault.insn == sv.insn) {
		/* the path reached the structural finding first: report it as the structure does */
		verifier_check_structure_ex(insns, n, opts, sink, verdict);
		path_report(env);
	} else if (err == -EINVAL) {
		if (verdict) {
			memset(verdict, 0, sizeof(*verdict));
			verdict->rule = fault.rule;
			verdict->insn = fault.insn;
			verdict->kernel_errno = vrf_rule_errno(fault.rule);
			snprintf(verdict->kernel_msg, sizeof(verdict->kernel_msg), "%s",
			         fault.kmsg);
		}
		run_report(env, sink);
		if (on_path)
			path_report(env);
	} else if (err == -ENOMEM && sink) {
		diag_errorf(sink, NULL, NULL, "out of memory while verifying the program");
	}
stats:
	if (stats) {
		stats->insns_processed = env->insn_processed;
		stats->total_states = env->total_states;
		stats->peak_states = env->peak_states;
		stats->mem_peak = env->mem_peak;
	}
	run_free(env);
out:
	if (env)
		free(env->reached);
	free(env);
	if (stats)
		stats->duration_ns = run_now_ns() - start;
	return err;
}
