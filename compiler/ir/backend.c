/*
 * backend.c - bitcode to BPF object through the LLVM C API.
 *
 * What clang 19 does for `-O<n> -target bpf -c`, in process: parse the front end's
 * bitcode; build the BPF TargetMachine (cpu v1..v4, static relocation model, codegen level
 * by -O as clang maps it); run the new pass manager's `default<On>` pipeline with the
 * pipeline-tuning options clang derives from -O (unrolling and interleaving from -O2,
 * loop and SLP vectorisation at -O2/-O3/-Os, SLP only at -Oz); the TargetMachine registers
 * the BPF IR passes (CO-RE, peepholes) into that pipeline; emit to memory.  LLVM's own
 * diagnostics (e.g. the backend's "stack limit exceeded") are caught by a handler and
 * reported through the sink instead of aborting the process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/BitReader.h>
#include <llvm-c/BitWriter.h>
#include <llvm-c/Core.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "ir/checks.h"
#include "ir/ir.h"

/* The oldest clang whose bitcode and BPF semantics bpfcc is built for. */
#define IR_MIN_CLANG_MAJOR 19

static ir_fatal_fn fatal_hook;

static void ir_fatal(const char *reason)
{
	if (fatal_hook)
		fatal_hook(reason);
}

void ir_on_fatal(ir_fatal_fn fn)
{
	fatal_hook = fn;
}

int ir_init(int n_mllvm, const char *const *mllvm)
{
	static int done;

	if (done)
		return 0;
	done = 1;
	LLVMInitializeBPFTargetInfo();
	LLVMInitializeBPFTarget();
	LLVMInitializeBPFTargetMC();
	LLVMInitializeBPFAsmPrinter();
	LLVMInitializeBPFAsmParser(); /* inline asm in C sources (asm volatile) */
	LLVMInstallFatalErrorHandler(ir_fatal);
	if (n_mllvm > 1)
		LLVMParseCommandLineOptions(n_mllvm, mllvm, "bpfcc");
	return 0;
}

void ir_buffer_free(struct ir_buffer *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

struct ir_diag_state {
	struct diag_sink *sink;
	unsigned errors;
};

/*
 * LLVM's description of a located diagnostic starts with "file:line:col: "; split it
 * off so the sink can show the source line.
 */
static void report_llvm(struct ir_diag_state *st, enum diag_level level, const char *text)
{
	char file[512], msg[1024];
	unsigned line = 0, col = 0;
	int used = 0;
	struct diag d = {.level = level, .rule = level == DIAG_ERROR ? "ir-backend" : NULL,
			 .insn = -1};

	if (sscanf(text, "%511[^:\n]:%u:%u: %n", file, &line, &col, &used) >= 3 && used > 0) {
		d.loc.file = file;
		d.loc.line = line;
		d.loc.col = col;
		text += used;
	}
	/* DiagnosticInfoUnsupported: "in function NAME TYPE: what", with a newline at the
	 * end; the location already names the place. */
	if (!strncmp(text, "in function ", 12)) {
		const char *colon = strstr(text, "): ");
		if (colon)
			text = colon + 3;
	}
	snprintf(msg, sizeof(msg), "%s", text);
	for (size_t n = strlen(msg); n && (msg[n - 1] == '\n' || msg[n - 1] == ' '); n--)
		msg[n - 1] = '\0';
	d.message = msg;
	if (strstr(msg, "signed division"))
		d.hint = "use unsigned operands, or -mcpu=v4, whose ISA has signed division "
			 "and modulo (kernel 6.6 or later)";
	diag_emit(st->sink, &d);
}

static void llvm_diag_handler(LLVMDiagnosticInfoRef info, void *ctx)
{
	struct ir_diag_state *st = ctx;
	char *text = LLVMGetDiagInfoDescription(info);

	switch (LLVMGetDiagInfoSeverity(info)) {
	case LLVMDSError:
		st->errors++;
		report_llvm(st, DIAG_ERROR, text);
		break;
	case LLVMDSWarning:
		report_llvm(st, DIAG_WARNING, text);
		break;
	default:
		break; /* remarks and notes: optimisation chatter, not for the user */
	}
	LLVMDisposeMessage(text);
}

/* The clang version from the module's llvm.ident ("... clang version 19.1.7 ..."). */
static int producer_major(LLVMModuleRef m, char *ident, size_t size)
{
	unsigned n = LLVMGetNamedMetadataNumOperands(m, "llvm.ident");
	LLVMValueRef ops[4], str;
	const char *s, *v;
	unsigned len;

	ident[0] = '\0';
	if (n == 0 || n > 4)
		return -1;
	LLVMGetNamedMetadataOperands(m, "llvm.ident", ops);
	if (LLVMGetMDNodeNumOperands(ops[0]) < 1)
		return -1;
	LLVMGetMDNodeOperands(ops[0], &str);
	s = LLVMGetMDString(str, &len);
	if (!s)
		return -1;
	snprintf(ident, size, "%.*s", (int)len, s);
	v = strstr(ident, "version ");
	return v ? atoi(v + 8) : -1;
}

static LLVMCodeGenOptLevel codegen_level(const struct ir_options *o)
{
	if (o->size_level)
		return LLVMCodeGenLevelDefault;
	switch (o->opt_level) {
	case 0:
		return LLVMCodeGenLevelNone;
	case 1:
		return LLVMCodeGenLevelLess;
	case 2:
		return LLVMCodeGenLevelDefault;
	default:
		return LLVMCodeGenLevelAggressive;
	}
}

static int run_pipeline(LLVMModuleRef m, LLVMTargetMachineRef tm, const struct ir_options *o,
			struct diag_sink *sink)
{
	LLVMPassBuilderOptionsRef pbo = LLVMCreatePassBuilderOptions();
	/* clang: unroll and interleave from -O2 (Os/Oz count as 2); vectorise at O2, O3, Os;
	 * SLP also at Oz. */
	int level = o->size_level ? 2 : o->opt_level;
	bool unroll = level > 1;
	bool loop_vec = level > 1 && o->size_level != 'z';
	bool slp_vec = level > 1;
	char pipeline[32];
	LLVMErrorRef err;

	if (o->size_level)
		snprintf(pipeline, sizeof(pipeline), "default<O%c>", o->size_level);
	else
		snprintf(pipeline, sizeof(pipeline), "default<O%d>", o->opt_level);
	LLVMPassBuilderOptionsSetLoopUnrolling(pbo, unroll);
	LLVMPassBuilderOptionsSetLoopInterleaving(pbo, unroll);
	LLVMPassBuilderOptionsSetLoopVectorization(pbo, loop_vec);
	LLVMPassBuilderOptionsSetSLPVectorization(pbo, slp_vec);
	LLVMPassBuilderOptionsSetCallGraphProfile(pbo, true);
	err = LLVMRunPasses(m, pipeline, tm, pbo);
	LLVMDisposePassBuilderOptions(pbo);
	if (err) {
		char *msg = LLVMGetErrorMessage(err);
		diag_errorf(sink, "ir-backend", NULL, "LLVM pipeline %s failed: %s", pipeline,
			    msg);
		LLVMDisposeErrorMessage(msg);
		return -EINVAL;
	}
	return 0;
}

static int emit(LLVMModuleRef m, LLVMTargetMachineRef tm, enum ir_emit kind,
		struct ir_buffer *out, struct diag_sink *sink)
{
	LLVMMemoryBufferRef mb = NULL;
	const char *data;
	size_t len;
	char *msg = NULL;

	switch (kind) {
	case IR_EMIT_LLVM_TEXT: {
		char *s = LLVMPrintModuleToString(m);
		len = strlen(s);
		out->data = malloc(len ? len : 1);
		if (!out->data) {
			LLVMDisposeMessage(s);
			return -ENOMEM;
		}
		memcpy(out->data, s, len);
		out->len = len;
		LLVMDisposeMessage(s);
		return 0;
	}
	case IR_EMIT_BITCODE:
		mb = LLVMWriteBitcodeToMemoryBuffer(m);
		break;
	case IR_EMIT_OBJECT:
	case IR_EMIT_ASM:
		if (LLVMTargetMachineEmitToMemoryBuffer(
			    tm, m, kind == IR_EMIT_ASM ? LLVMAssemblyFile : LLVMObjectFile, &msg,
			    &mb)) {
			diag_errorf(sink, "ir-backend", NULL, "BPF code generation failed: %s",
				    msg ? msg : "unknown error");
			LLVMDisposeMessage(msg);
			return -EINVAL;
		}
		break;
	}
	if (!mb)
		return -ENOMEM;
	data = LLVMGetBufferStart(mb);
	len = LLVMGetBufferSize(mb);
	out->data = malloc(len ? len : 1);
	if (!out->data) {
		LLVMDisposeMemoryBuffer(mb);
		return -ENOMEM;
	}
	memcpy(out->data, data, len);
	out->len = len;
	LLVMDisposeMemoryBuffer(mb);
	return 0;
}

int ir_compile(const void *bitcode, size_t len, const char *name, const struct ir_options *o,
	       enum ir_emit kind, struct ir_buffer *out, struct diag_sink *sink)
{
	struct ir_diag_state st = {.sink = sink};
	LLVMContextRef ctx = LLVMContextCreate();
	LLVMMemoryBufferRef mb = NULL;
	LLVMTargetMachineRef tm = NULL;
	LLVMModuleRef m = NULL;
	LLVMTargetRef target;
	char *msg = NULL, ident[256], cpu[8];
	const char *triple = o->big_endian ? "bpfeb" : "bpfel";
	int err = -EINVAL, major;

	out->data = NULL;
	out->len = 0;
	LLVMContextSetDiagnosticHandler(ctx, llvm_diag_handler, &st);
	mb = LLVMCreateMemoryBufferWithMemoryRange(bitcode, len, name, 0);
	if (!mb) {
		err = -ENOMEM;
		goto out;
	}
	if (LLVMParseBitcodeInContext2(ctx, mb, &m)) {
		if (!st.errors)
			diag_errorf(sink, NULL, NULL, "%s: the front end's output is not LLVM bitcode",
				    name);
		err = -ENOEXEC;
		goto out;
	}
	major = producer_major(m, ident, sizeof(ident));
	if (major >= 0 && major < IR_MIN_CLANG_MAJOR) {
		diag_errorf(sink, NULL, NULL, "the C front end is too old (%s); bpfcc needs clang %d",
			    ident, IR_MIN_CLANG_MAJOR);
		err = -ENOEXEC;
		goto out;
	}
	if (irc_check_source(m, sink))
		goto out;

	if (LLVMGetTargetFromTriple(triple, &target, &msg)) {
		diag_errorf(sink, NULL, NULL, "LLVM has no BPF target: %s", msg);
		LLVMDisposeMessage(msg);
		goto out;
	}
	snprintf(cpu, sizeof(cpu), "v%d", o->cpu);
	tm = LLVMCreateTargetMachine(target, triple, cpu, "", codegen_level(o), LLVMRelocStatic,
				     LLVMCodeModelDefault);
	if (!tm) {
		err = -ENOMEM;
		goto out;
	}
	if (run_pipeline(m, tm, o, sink) || st.errors)
		goto out;
	if (irc_check_optimised(m, sink))
		goto out;
	err = emit(m, tm, kind, out, sink);
	if (!err && st.errors) {
		ir_buffer_free(out);
		err = -EINVAL;
	}
out:
	if (tm)
		LLVMDisposeTargetMachine(tm);
	if (m)
		LLVMDisposeModule(m);
	if (mb)
		LLVMDisposeMemoryBuffer(mb);
	LLVMContextDispose(ctx);
	return err;
}
