/*
 * checks.h - the restricted-C rules checked on LLVM IR (private to the ir stage).
 */
#ifndef BPFCC_IR_CHECKS_H
#define BPFCC_IR_CHECKS_H

#include <llvm-c/Core.h>

#include "diag/diag.h"

/* A source location taken from a value's debug info; file points into buf. */
struct irc_loc {
	struct diag_loc loc;
	char buf[512];
};

/* Fills l from the !dbg of an instruction, function or global (line 0 when none). */
void irc_loc_of(LLVMValueRef v, struct irc_loc *l);

/* Rules that hold on the IR as clang built it: floating point, TLS, constructors.
 * Returns the number of errors reported. */
unsigned irc_check_source(LLVMModuleRef m, struct diag_sink *sink);

/* Rules that must see optimised IR: recursion, indirect and external calls, dynamic
 * stack allocation, frame size.  Returns the number of errors reported. */
unsigned irc_check_optimised(LLVMModuleRef m, struct diag_sink *sink);

#endif
