/*
 * cases.h - test programs for the helper/map compatibility rule (check_map_func_compatibility(),
 * compiler/verifier/map_func.def): raw instruction streams that pass a map to a helper, the
 * map types they reference, and what the kernel 6.18 verifier says (privileged loader, GPL).
 *
 * Every expectation was taken from the live kernel and is re-checked against it by
 * verifier_mapfunc_kernel on every run; verifier_mapfunc checks verifier_run() against the
 * same expectations without a kernel.
 */
#ifndef BPFCC_TEST_MAPFUNC_CASES_H
#define BPFCC_TEST_MAPFUNC_CASES_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/verifier.h"

#define MAPFUNC_MAX_MAPS 3

struct mapfunc_case {
	const char *name;
	enum bpf_prog_type prog_type;
	enum bpf_attach_type attach_type;
	/* the maps ld_imm64 (BPF_PSEUDO_MAP_FD) imm 0, 1, 2 name; 0 ends the list */
	uint32_t maps[MAPFUNC_MAX_MAPS];
	const struct bpf_insn *insns;
	size_t n;
	bool ok;
	enum vrf_rule rule; /* when !ok */
	const char *kmsg;   /* the kernel's message when !ok */
};

extern const struct mapfunc_case mapfunc_cases[];
extern const size_t mapfunc_ncases;

/* What a map of the cases is: sizes the kernel accepts for its type. */
void mapfunc_map_info(uint32_t type, struct vrf_map_info *out);

/* The maps of a run: fds[i] is what ld_imm64 imm i became (i itself without a kernel). */
struct mapfunc_maps {
	int fds[MAPFUNC_MAX_MAPS];
	uint32_t types[MAPFUNC_MAX_MAPS];
	int n;
};

/* The verifier options for case c, its maps described through maps (kept by pointer). */
struct vrf_options mapfunc_case_options(const struct mapfunc_case *c,
                                        const struct mapfunc_maps *maps);

#endif
