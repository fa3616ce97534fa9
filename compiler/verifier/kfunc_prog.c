/*
 * kfunc_prog.c - which program types may call a kfunc (btf_kfunc_id_set_contains() as
 * fetch_kfunc_meta() asks it, kernel/bpf/btf.c and verifier.c, Linux 6.18).
 *
 * The kernel registers each kfunc set for hooks (one per program type or group of them,
 * register_btf_kfunc_id_set()), sometimes with a filter that looks at the program's attach
 * type; a call from a program the kfunc is not registered for is refused before its
 * arguments are looked at: "calling kernel function %s is not allowed".  That is not in
 * BTF, so gen/probe_kfuncs.c asked the running kernel for every kfunc and every
 * (program type, expected attach type) pair of the section table, and kfunc_prog.def holds
 * the answers.
 *
 * A pair the probe could not load (fentry, fexit, fmod_ret under lockdown: EPERM before the
 * verifier; lsm; freplace, which takes its target's program type; struct_ops) is judged
 * by the other pairs of its program type: the tracing hook is one for tp_btf, iter, fentry
 * and fexit alike, so a kfunc refused to every probed tracing pair is refused to fentry
 * too.  A program type no pair of which was probed (lsm, freplace, struct_ops) and a kfunc
 * the table does not name (modules, other kernels) are let through.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/kfunc.h"
#include "verifier/prog.h"

static const struct {
	uint32_t prog_type;
	int32_t attach_type;
	bool probed;
} kp_configs[] = {
#define KFUNC_PROG_KERNEL(release)
#define KFUNC_PROG_CONFIG(prog, attach, flags, pname, aname, probed) {prog, attach, probed},
#define KFUNC_PROG(name, answers)
#include "verifier/kfunc_prog.def"
#undef KFUNC_PROG_KERNEL
#undef KFUNC_PROG_CONFIG
#undef KFUNC_PROG
};

#define KP_NCONFIGS (sizeof(kp_configs) / sizeof(kp_configs[0]))

static const struct {
	const char *name;
	const char *answers; /* one of '+', '-', '.' per kp_configs[] entry */
} kp_rows[] = {
#define KFUNC_PROG_KERNEL(release)
#define KFUNC_PROG_CONFIG(prog, attach, flags, pname, aname, probed)
#define KFUNC_PROG(name, answers) {#name, answers},
#include "verifier/kfunc_prog.def"
#undef KFUNC_PROG_KERNEL
#undef KFUNC_PROG_CONFIG
#undef KFUNC_PROG
};

const char *kfunc_prog_kernel(void)
{
#define KFUNC_PROG_KERNEL(release) return release;
#define KFUNC_PROG_CONFIG(prog, attach, flags, pname, aname, probed)
#define KFUNC_PROG(name, answers)
#include "verifier/kfunc_prog.def"
#undef KFUNC_PROG_KERNEL
#undef KFUNC_PROG_CONFIG
#undef KFUNC_PROG
}

int kfunc_prog_allowed(const char *name, uint32_t prog_type, int32_t attach_type)
{
	const char *a = NULL;
	bool any = false;
	size_t i;

	for (i = 0; name && i < sizeof(kp_rows) / sizeof(kp_rows[0]); i++)
		if (strcmp(kp_rows[i].name, name) == 0) {
			a = kp_rows[i].answers;
			break;
		}
	if (!a || strlen(a) != KP_NCONFIGS)
		return -ENOENT;
	for (i = 0; i < KP_NCONFIGS; i++)
		if (kp_configs[i].probed && kp_configs[i].prog_type == prog_type &&
		    kp_configs[i].attach_type == attach_type)
			return a[i] == '+';
	/* not probed itself: refused only when every probed pair of the type refuses it */
	for (i = 0; i < KP_NCONFIGS; i++) {
		if (!kp_configs[i].probed || kp_configs[i].prog_type != prog_type)
			continue;
		if (a[i] == '+')
			return 1;
		any = true;
	}
	return any ? 0 : -ENOENT;
}

int kfunc_check_prog_type(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	const char *name = kfunc_name(env, in);
	char d[200];

	if (!name ||
	    kfunc_prog_allowed(name, (uint32_t)env->ienv.prog_type, prog_attach_type(env)) != 0)
		return 0;
	snprintf(d, sizeof(d),
	         "the kernel does not offer %s() to this program type (kfuncs are registered "
	         "per program type)",
	         name);
	return env_fault(env, VRF_R_KFUNC_PROG_TYPE, idx, d,
	                 "calling kernel function %s is not allowed", name);
}
