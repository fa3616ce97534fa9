/*
 * ir.h - the LLVM stage: bitcode in, BPF ELF object (or assembly, or IR) out, in process
 * through the LLVM C API.
 *
 * Steps: parse the bitcode from the front end; check that clang was new enough; run the
 * restricted-C checks that need no optimisation (floating point, thread-local storage,
 * global constructors); run the `default<On>` pipeline with the BPF TargetMachine, so the
 * BPF backend's own IR passes (CO-RE access relocation, IR peepholes) run exactly as
 * under clang; run the checks that must see optimised code (recursion, indirect and
 * external calls, dynamic stack, frame size); emit to memory.  The LLVM options mirror
 * what clang 19 sets for the same -O level, so the object equals clang's.
 */
#ifndef BPFCC_IR_H
#define BPFCC_IR_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"

enum ir_emit {
	IR_EMIT_OBJECT,	   /* BPF ELF relocatable object */
	IR_EMIT_ASM,	   /* BPF assembly text */
	IR_EMIT_BITCODE,   /* optimised LLVM bitcode */
	IR_EMIT_LLVM_TEXT, /* optimised LLVM IR text */
};

struct ir_options {
	int opt_level;	 /* 0..3 */
	char size_level; /* 0, 's' or 'z' */
	int cpu;	 /* BPF ISA version 1..4 */
	bool big_endian;
};

/* Bytes owned by the caller after ir_compile(); free with ir_buffer_free(). */
struct ir_buffer {
	void *data;
	size_t len;
};

/*
 * Initialises LLVM's BPF target once per process and passes -mllvm options to LLVM's
 * command-line parser (argv[0] is ignored).  Returns 0 or -EINVAL.
 */
int ir_init(int n_mllvm, const char *const *mllvm);

/*
 * LLVM ends the process on a fatal error (report_fatal_error); `fn` is called first with
 * LLVM's reason so the caller can report it and clean up.  LLVM exits after it returns.
 */
typedef void (*ir_fatal_fn)(const char *reason);
void ir_on_fatal(ir_fatal_fn fn);

/*
 * Compiles bitcode (not consumed) into *out.  Returns 0; -EINVAL when the input broke a
 * rule or LLVM reported an error (all reported through sink, *out left empty); -ENOEXEC
 * when the front end is unusable (its output is not bitcode, or it is older than clang
 * 19), reported likewise; -ENOMEM.
 */
int ir_compile(const void *bitcode, size_t len, const char *name, const struct ir_options *o,
	       enum ir_emit emit, struct ir_buffer *out, struct diag_sink *sink);

void ir_buffer_free(struct ir_buffer *b);

#endif
