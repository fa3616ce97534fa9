/*
 * lock.c - the locks a path holds: bpf_spin_lock sections and RCU read sections
 * (process_spin_lock(), the rcu_read_lock kfunc handling in check_kfunc_call(),
 * check_resource_leak() and check_map_prog_compatibility() in kernel/bpf/verifier.c,
 * Linux 6.18).
 *
 * A struct bpf_spin_lock lives in a map value; bpf_spin_lock(&v->lock) takes it and
 * bpf_spin_unlock(&v->lock) releases it.  The kernel allows one held lock at a time
 * ("Locking two bpf_spin_locks are not allowed"), no unlock without a lock ("bpf_spin_unlock
 * without taking a lock"), the lock at the one offset the value's BTF declares ("off %lld
 * doesn't point to 'struct bpf_spin_lock' that is at %d"), no helper call but the unlock
 * inside the section (prog_call.c) and no exit of the main program with the lock held
 * ("BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region").
 * Tracing programs (kprobe, tracepoint, perf_event, raw_tracepoint) and socket filters may
 * not even name a map whose value holds a lock: the kernel refuses that while resolving
 * the ld_imm64 map references, before any path is explored, with no instruction printed.
 *
 * RCU read sections (the bpf_rcu_read_lock / bpf_rcu_read_unlock kfuncs, named through the
 * kernel's BTF): an unlock without a lock and an exit inside a section are refused.
 *
 * The lock is found through the map value's BTF (vrf_map_info.value_btf_id in the object's
 * BTF).  Permissive: lock pointers that are not map values (allocated objects), maps or
 * values bpfcc does not know, nested RCU sections.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/call.h"
#include "verifier/map_func.h"
#include "verifier/prog.h"

#define LOCK_BTF_DEPTH 4

static int find_in(const struct btf *btf, uint32_t id, int depth)
{
	const struct btf_type *t;
	int i, n, off, rid;

	if (depth > LOCK_BTF_DEPTH)
		return -EINVAL;
	rid = btf__resolve_type(btf, id);
	t = rid > 0 ? btf__type_by_id(btf, (uint32_t)rid) : NULL;
	if (!t)
		return -EINVAL;
	if (btf_is_struct(t)) {
		const char *name = btf__name_by_offset(btf, t->name_off);
		const struct btf_member *m = btf_members(t);

		if (name && strcmp(name, "bpf_spin_lock") == 0)
			return 0;
		n = btf_vlen(t);
		for (i = 0; i < n; i++) {
			off = find_in(btf, m[i].type, depth + 1);
			if (off == -ENOENT)
				continue;
			if (off < 0)
				return off;
			return off + (int)(btf_member_bit_offset(t, (uint32_t)i) / 8);
		}
		return -ENOENT;
	}
	if (btf_is_datasec(t)) {
		const struct btf_var_secinfo *v = btf_var_secinfos(t);

		n = btf_vlen(t);
		for (i = 0; i < n; i++) {
			const struct btf_type *var = btf__type_by_id(btf, v[i].type);

			if (!var || !btf_is_var(var))
				return -EINVAL;
			off = find_in(btf, var->type, depth + 1);
			if (off == -ENOENT)
				continue;
			if (off < 0)
				return off;
			return off + (int)v[i].offset;
		}
		return -ENOENT;
	}
	if (btf_is_union(t) || btf_is_array(t) || btf_is_fwd(t))
		return -EINVAL; /* not worked out: unknown */
	return -ENOENT;         /* ints, pointers, enums hold no lock */
}

int lock_find_spin_lock(const struct btf *btf, uint32_t type_id)
{
	if (!btf || !type_id)
		return -EINVAL;
	return find_in(btf, type_id, 0);
}

/* Offset of the lock in the value of the map register r points into; -ENOENT none,
 * -EINVAL unknown. */
static int map_lock_off(const struct vrf_env *env, uint8_t src, int32_t map)
{
	struct vrf_map_info mi;

	if (!env->opts || !env->opts->map_info_fn || !env->opts->prog_btf || !src)
		return -EINVAL;
	if (env->opts->map_info_fn(env->opts->map_info_ctx, src, map, &mi) < 0 || !mi.value_btf_id)
		return -EINVAL;
	return lock_find_spin_lock(env->opts->prog_btf, mi.value_btf_id);
}

int lock_spin(struct vrf_env *env, bool is_lock, int idx)
{
	const struct vrf_reg *r1 = &state_regs(&env->cur)[BPF_REG_1];
	struct vrf_lock_state *ls = &env->cur.lock;
	/* a map value bpfcc models; other lock pointers (allocated objects, values bpfcc
	 * lost track of) still take and release a lock, but nothing is said about them */
	bool known = r1->type == VRF_T_MAP_VALUE && !r1->maybe_null;
	long long off = 0;
	int lock_off;

	if (known && !tnum_is_const(r1->s.var_off))
		return env_fault(env, VRF_R_SPIN_LOCK, idx,
		                 "the lock must be at a constant offset of the map value",
		                 "R1 doesn't have constant offset. bpf_spin_lock has to be at the "
		                 "constant offset");
	if (known) {
		off = (long long)r1->off + (long long)r1->s.var_off.value;
		lock_off = map_lock_off(env, r1->map_src, r1->map);
		if (lock_off >= 0 && off != lock_off)
			return env_fault(
			    env, VRF_R_SPIN_LOCK, idx,
			    "the pointer given to the lock helper is not the struct "
			    "bpf_spin_lock field of the map value",
			    "off %lld doesn't point to 'struct bpf_spin_lock' that is at "
			    "%d",
			    off, lock_off);
	}
	if (is_lock) {
		if (ls->spin)
			return env_fault(env, VRF_R_SPIN_LOCK, idx,
			                 "a bpf_spin_lock is already held on this path: the kernel "
			                 "allows one lock at a time",
			                 "Locking two bpf_spin_locks are not allowed");
		ls->spin = 1;
		ls->map_src = known ? r1->map_src : 0;
		ls->map = known ? r1->map : 0;
		ls->id = known ? r1->id : 0;
		ls->off = (int32_t)off;
		return 0;
	}
	if (!ls->spin && !known)
		return 0;
	if (!ls->spin)
		return env_fault(env, VRF_R_SPIN_LOCK, idx, "no bpf_spin_lock is held on this path",
		                 "bpf_spin_unlock without taking a lock");
	if (known && ls->map_src && r1->map_src &&
	    (ls->map_src != r1->map_src || ls->map != r1->map))
		return env_fault(env, VRF_R_SPIN_LOCK, idx,
		                 "the lock released is not the one held (another map)",
		                 "bpf_spin_unlock of different lock");
	/* process_spin_lock(): the same map value too, known by the id its lookup gave (the
	 * kernel keeps it on map values holding a lock); unknown ids say nothing */
	if (known && ls->id && r1->id && ls->id != r1->id)
		return env_fault(env, VRF_R_SPIN_LOCK, idx,
		                 "the lock released is not the one held (the value of another "
		                 "lookup)",
		                 "bpf_spin_unlock of different lock");
	ls->spin = 0;
	ls->map_src = 0;
	ls->map = 0;
	ls->id = 0;
	ls->off = 0;
	return 0;
}

int lock_rcu(struct vrf_env *env, bool is_lock, int idx)
{
	struct vrf_lock_state *ls = &env->cur.lock;

	if (is_lock) {
		/* Linux 6.18 refuses a second bpf_rcu_read_lock() inside a section */
		if (ls->rcu)
			return env_fault(
			    env, VRF_R_RCU_LOCK, idx,
			    "RCU read sections do not nest: this path already holds "
			    "bpf_rcu_read_lock()",
			    "nested rcu read lock (kernel function bpf_rcu_read_lock)");
		ls->rcu = 1;
		return 0;
	}
	if (!ls->rcu)
		return env_fault(env, VRF_R_RCU_LOCK, idx,
		                 "no RCU read section is open on this path",
		                 "unmatched rcu read unlock (kernel function bpf_rcu_read_unlock)");
	ls->rcu--;
	/* MEM_RCU pointers are untrusted once the section is closed (btf_trust.c) */
	btf_trust_rcu_unlock(env);
	return 0;
}

int lock_check_exit(struct vrf_env *env, int idx, const char *prefix)
{
	const struct vrf_lock_state *ls = &env->cur.lock;

	if (ls->spin)
		return env_fault(env, VRF_R_SPIN_LOCK, idx,
		                 "the program returns while holding a bpf_spin_lock (hint: "
		                 "bpf_spin_unlock on every path out of the section)",
		                 "%s cannot be used inside bpf_spin_lock-ed region", prefix);
	if (ls->rcu)
		return env_fault(env, VRF_R_RCU_LOCK, idx,
		                 "the program returns inside an RCU read section (hint: "
		                 "bpf_rcu_read_unlock on every path out of it)",
		                 "%s cannot be used inside bpf_rcu_read_lock-ed region", prefix);
	return 0;
}

bool lock_state_equal(const struct vrf_state *a, const struct vrf_state *b)
{
	const struct vrf_lock_state *x = &a->lock, *y = &b->lock;

	if (x->spin != y->spin || x->rcu != y->rcu)
		return false;
	return !x->spin || (x->map_src == y->map_src && x->map == y->map && x->off == y->off);
}

static bool is_tracing_type(enum bpf_prog_type t)
{
	return t == BPF_PROG_TYPE_KPROBE || t == BPF_PROG_TYPE_TRACEPOINT ||
	       t == BPF_PROG_TYPE_PERF_EVENT || t == BPF_PROG_TYPE_RAW_TRACEPOINT ||
	       t == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE;
}

/* check_map_prog_compatibility() for the map one ld_imm64 names. */
static int check_map(struct vrf_env *env, const struct bpf_insn *in, int i)
{
	enum bpf_prog_type t = env->ienv.prog_type;
	struct vrf_map_info mi;

	if ((env->opts->prog_flags & BPF_F_SLEEPABLE) && env->opts->map_info_fn &&
	    env->opts->map_info_fn(env->opts->map_info_ctx, in->src_reg, in->imm, &mi) == 0 &&
	    !vrf_map_func_sleepable_ok(mi.type))
		return env_fault(
		    env, VRF_R_SLEEPABLE_MAP, i,
		    "a sleepable program may only use array, hash, ring buffer, queue, stack, "
		    "map-of-maps and local storage maps: no perf event array, stack trace, prog "
		    "array, bloom filter or socket map (hint: a ring buffer instead of a perf "
		    "event array)",
		    "Sleepable programs can only use array, hash, ringbuf and local "
		    "storage maps");
	if ((!is_tracing_type(t) && t != BPF_PROG_TYPE_SOCKET_FILTER) ||
	    map_lock_off(env, in->src_reg, in->imm) < 0)
		return 0;
	if (t == BPF_PROG_TYPE_SOCKET_FILTER)
		return env_fault(
		    env, VRF_R_SPIN_LOCK_PROG, i,
		    "socket filters may not use maps whose values hold a bpf_spin_lock",
		    "socket filter progs cannot use bpf_spin_lock yet");
	return env_fault(env, VRF_R_SPIN_LOCK_PROG, i,
	                 "tracing programs (kprobe, tracepoint, perf_event, raw_tp) may run inside "
	                 "any kernel context and may not use maps whose values hold a "
	                 "bpf_spin_lock (hint: use atomics, or a tp_btf/fentry program)",
	                 "tracing progs cannot use bpf_spin_lock yet");
}

int lock_check_maps(struct vrf_env *env)
{
	int i, err;

	if (!env->opts)
		return 0;
	for (i = 0; i + 1 < env->n; i++) {
		const struct bpf_insn *in = &env->insns[i];

		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_IDX ||
		    in->src_reg == BPF_PSEUDO_MAP_VALUE ||
		    in->src_reg == BPF_PSEUDO_MAP_IDX_VALUE) {
			err = check_map(env, in, i);
			if (!err) /* timers and work queues: call_map.c */
				err = call_map_prog_check(env, in, i);
			if (err)
				return err;
		}
		i++;
	}
	return 0;
}
