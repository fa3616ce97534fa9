/*
 * progfile.h - the text format of kept difftest cases (testsuite/difftest/regress/NAME.prog):
 * one raw program with the kernel verdict recorded when it was kept.
 *
 *   # any comment
 *   type xdp
 *   kernel rejected
 *   kernel-msg R0 !read_ok
 *   kernel-release 6.18.0
 *   insn b7 0 0 0 0          ; r0 = 0
 *
 * One "insn CODE DST SRC OFF IMM" line per 8-byte slot (code in hex, the rest decimal;
 * ld_imm64 takes two lines); what follows ';' is a comment (the disassembly).  Map
 * references keep the map's index in gen_maps[] as imm (gen_bind_maps() at load time).
 * The "# found:" comment says how the case was found; the generator changes over time,
 * so that command need not give the same program again: the insn lines are the case.
 */
#ifndef BPFCC_DIFFTEST_PROGFILE_H
#define BPFCC_DIFFTEST_PROGFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "gen.h"

struct dt_case {
	struct gen_prog prog;
	bool kernel_ok;       /* the recorded kernel verdict */
	char kernel_msg[256]; /* "" when the kernel accepted or logged nothing */
	char release[80];     /* uname -r of the kernel that gave the verdict */
	char origin[160];     /* the "# found:" line, informational */
};

/* Reads a case; returns 0, -errno for I/O, -EINVAL with a reason in why (line number
 * and what is wrong) for a malformed file. */
int dt_case_read(const char *path, struct dt_case *c, char *why, size_t why_size);

/* Writes a case (disassembly comments included) to a new file; 0, -EEXIST when the file
 * exists (it is left alone), or another -errno. */
int dt_case_write(const char *path, const struct dt_case *c);

#endif
