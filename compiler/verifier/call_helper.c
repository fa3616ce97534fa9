/*
 * call_helper.c - checks on helper calls (check_helper_call()): the helper id must be one
 * the kernel knows.  libbpf poisons an instruction whose CO-RE relocation failed by
 * turning it into "call 0xbad2310"; the kernel refuses it only if a path reaches it (dead
 * code is removed), and libbpf then rewrites the log into "failed to resolve CO-RE
 * relocation".  The kernel's own line is "invalid func unknown#195896080".
 */
#include <errno.h>

#include "verifier/call.h"
#include "verifier/insn.h"

int call_check_helper_id(struct vrf_env *env, const struct bpf_insn *in, int idx)
{
	if (!insn_is_helper_call(in) || (in->imm >= 0 && in->imm < VRF_HELPER_ID_END))
		return 0;
	if (in->imm == VRF_CORE_POISON_IMM)
		return env_fault(
		    env, VRF_R_HELPER_ID, idx,
		    "libbpf poisoned this instruction (call 0xbad2310): a CO-RE relocation "
		    "failed against the running kernel's BTF, and a path reaches it",
		    "invalid func unknown#%d", in->imm);
	return env_fault(env, VRF_R_HELPER_ID, idx,
	                 "the call names a helper id the running kernel does not have",
	                 "invalid func unknown#%d", in->imm);
}
