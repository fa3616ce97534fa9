/*
 * link.c - link_program(): one entry program as libbpf's bpf_object__relocate() would
 * load it.
 *
 * Not written yet: copies the entry program's own instructions unchanged.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "elf/object.h"
#include "link/link.h"

int link_program(const struct obj_file *obj, const struct obj_prog *prog,
		 const struct link_options *opts, struct link_prog *out, struct diag_sink *sink)
{
	(void)obj;
	(void)opts;
	(void)sink;
	memset(out, 0, sizeof(*out));
	out->prog = prog;
	out->expected_attach_type = -1;
	out->insns = calloc(prog->insn_cnt ? prog->insn_cnt : 1, sizeof(*out->insns));
	out->origin_prog = calloc(prog->insn_cnt ? prog->insn_cnt : 1, sizeof(*out->origin_prog));
	out->origin_insn = calloc(prog->insn_cnt ? prog->insn_cnt : 1, sizeof(*out->origin_insn));
	if (!out->insns || !out->origin_prog || !out->origin_insn) {
		link_prog_free(out);
		return -ENOMEM;
	}
	memcpy(out->insns, prog->insns, prog->insn_cnt * sizeof(*out->insns));
	for (size_t i = 0; i < prog->insn_cnt; i++) {
		out->origin_prog[i] = prog;
		out->origin_insn[i] = (uint32_t)i;
	}
	out->insn_cnt = prog->insn_cnt;
	return 0;
}

void link_prog_free(struct link_prog *lp)
{
	if (!lp)
		return;
	free(lp->insns);
	free(lp->origin_prog);
	free(lp->origin_insn);
	free(lp->maps);
	memset(lp, 0, sizeof(*lp));
}

bool link_loc(void *ctx, size_t insn, struct diag_loc *out)
{
	const struct link_prog *lp = ctx;

	if (!lp || insn >= lp->insn_cnt)
		return false;
	*out = obj_line_for_insn(lp->origin_prog[insn], lp->origin_insn[insn]);
	return out->line != 0;
}
