/*
 * prog_call.c - which calls a program may make, and where (the program-type and lock
 * parts of do_check()'s BPF_CALL case and of check_helper_call() / check_kfunc_call() in
 * kernel/bpf/verifier.c, Linux 6.18).
 *
 * In path order, at each helper or kfunc call:
 *   - inside a bpf_spin_lock section only bpf_spin_unlock may be called ("function calls
 *     are not allowed while holding a lock"; bpf-to-bpf calls to static functions are
 *     allowed, the graph kfuncs too: kfuncs are let through here);
 *   - the program type must offer the helper (its get_func_proto(); "program of this type
 *     cannot use helper %s#%d"), the allow-lists the check stage probed from the running
 *     kernel (compiler/check/helper_allow.def, check_helper_allowed_attach());
 *   - a helper that might sleep (bpf_copy_from_user, bpf_d_path's siblings, ...: the
 *     might_sleep flag of helper_proto.h) needs a sleepable program, loaded with
 *     BPF_F_SLEEPABLE (".s" sections) ("helper call might sleep in a non-sleepable prog"),
 *     and not inside an RCU read section ("sleepable helper %s#%d in rcu_read_lock region").
 * After the arguments were checked, bpf_spin_lock / bpf_spin_unlock and the RCU kfuncs
 * change the lock state (lock.c).
 *
 * Permissive: a helper id or program type the tables do not know, kfuncs other than the
 * RCU pair (their allow-lists and sleepability come from kernel sets bpfcc does not read).
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "verifier/helper_proto.h"
#include "verifier/insn.h"
#include "verifier/prog.h"

/* The kernel BTF name of a kfunc call's target, NULL when unknown (module kfuncs). */
static const char *kfunc_name(const struct vrf_env *env, const struct bpf_insn *in)
{
	const struct btf_type *t;

	if (in->src_reg != BPF_PSEUDO_KFUNC_CALL || in->off || !env->opts ||
	    !env->opts->kernel_btf || in->imm <= 0)
		return NULL;
	t = btf__type_by_id(env->opts->kernel_btf, (uint32_t)in->imm);
	if (!t || !btf_is_func(t))
		return NULL;
	return btf__name_by_offset(env->opts->kernel_btf, t->name_off);
}

static bool prog_sleepable(const struct vrf_env *env)
{
	return env->opts && (env->opts->prog_flags & BPF_F_SLEEPABLE);
}

int prog_call_check(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	const struct vrf_helper_proto *p;
	uint32_t id = (uint32_t)in->imm;
	char name[64];

	if (env->cur.lock.spin && insn_is_helper_call(in) && in->imm != BPF_FUNC_spin_unlock)
		return env_fault(env, VRF_R_SPIN_LOCK, idx,
		                 "inside a bpf_spin_lock section no helper may be called but "
		                 "bpf_spin_unlock (hint: call it before taking the lock, or after "
		                 "releasing it)",
		                 "function calls are not allowed while holding a lock");
	if (!insn_is_helper_call(in) || in->imm <= 0 || !(p = vrf_helper_proto(id)))
		return 0;
	snprintf(name, sizeof(name), "bpf_%s", p->name);
	if (check_helper_allowed_attach((uint32_t)env->ienv.prog_type, prog_attach_type(env), id) ==
	    0)
		return env_fault(env, VRF_R_HELPER_PROG_TYPE, idx,
		                 "this program type does not offer the helper (each program type "
		                 "has its own set)",
		                 "program of this type cannot use helper %s#%u", name, id);
	if (p->might_sleep && !prog_sleepable(env))
		return env_fault(env, VRF_R_SLEEPABLE, idx,
		                 "the helper may sleep (to fault in user memory) and the program "
		                 "runs in atomic context (hint: a sleepable section such as "
		                 "\"uprobe.s\", \"lsm.s\", \"fentry.s\")",
		                 "helper call might sleep in a non-sleepable prog");
	if (p->might_sleep && env->cur.lock.rcu)
		return env_fault(env, VRF_R_SLEEPABLE, idx,
		                 "a helper that may sleep is called inside an RCU read section",
		                 "sleepable helper %s#%u in rcu_read_lock region", name, id);
	return 0;
}

int prog_call_after_args(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	const char *kf;

	if (insn_is_helper_call(in)) {
		if (in->imm == BPF_FUNC_spin_lock || in->imm == BPF_FUNC_spin_unlock)
			return lock_spin(env, in->imm == BPF_FUNC_spin_lock, idx);
		return 0;
	}
	kf = kfunc_name(env, in);
	if (kf && strcmp(kf, "bpf_rcu_read_lock") == 0)
		return lock_rcu(env, true, idx);
	if (kf && strcmp(kf, "bpf_rcu_read_unlock") == 0)
		return lock_rcu(env, false, idx);
	return 0;
}
