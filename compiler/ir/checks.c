/*
 * checks.c - restricted C: what C allows but a BPF program cannot contain.
 *
 * The kernel loads instructions, not C, so these rules follow from the BPF machine and
 * the verifier: there are no floating-point registers; the verifier refuses recursion
 * (the call graph of bpf-to-bpf calls must be acyclic) and indirect calls; every stack
 * frame has a size fixed at load time and at most 512 bytes; every call leaves the program
 * only to a helper (a call to a constant address) or to a kernel function resolved by the
 * loader (an extern in section .ksyms); nothing runs constructors or provides
 * thread-local storage.  Each finding points at the source line from the !dbg metadata.
 *
 * Rules that concern source constructs (floating point, TLS, constructors) run on the IR
 * as clang produced it; rules about what reaches the kernel (calls, stack) run on the
 * optimised IR, so code that optimisation removes (a recursion turned into a loop, a
 * variable-length array whose length became constant) is judged as clang would emit it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>

#include "ir/checks.h"

#define BPF_STACK_LIMIT 512

/* What Linux 6.18 says about clang's object for the same code. */
#define KMSG_DEPTH "the call stack of ... frames is too deep"
#define KMSG_CALLX "unknown opcode 8d"
#define KMSG_EXTERN "libbpf: failed to find BTF for extern"

void irc_loc_of(LLVMValueRef v, struct irc_loc *l)
{
	const char *file = NULL;
	unsigned len = 0;

	memset(&l->loc, 0, sizeof(l->loc));
	l->buf[0] = '\0';
	if (LLVMIsAInstruction(v) || LLVMIsAFunction(v) || LLVMIsAGlobalVariable(v))
		file = LLVMGetDebugLocFilename(v, &len);
	if (!file || !len)
		return;
	snprintf(l->buf, sizeof(l->buf), "%.*s", (int)len, file);
	l->loc.file = l->buf;
	l->loc.line = LLVMGetDebugLocLine(v);
	if (LLVMIsAInstruction(v))
		l->loc.col = LLVMGetDebugLocColumn(v);
}

static void report_kernel(struct diag_sink *sink, LLVMValueRef at, const char *rule,
			  const char *kernel_msg, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* One finding at `at`'s source location; kernel_msg is what the kernel (or libbpf) says
 * when handed clang's object for the same code, or NULL when clang refuses it first. */
static void report_kernel(struct diag_sink *sink, LLVMValueRef at, const char *rule,
			  const char *kernel_msg, const char *hint, const char *fmt, ...)
{
	struct irc_loc l;
	char msg[1024];
	va_list ap;
	struct diag d = {.level = DIAG_ERROR, .rule = rule, .insn = -1, .hint = hint,
			 .kernel_msg = kernel_msg};

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	irc_loc_of(at, &l);
	d.loc = l.loc;
	d.message = msg;
	diag_emit(sink, &d);
}

#define report(sink, at, rule, hint, ...) report_kernel(sink, at, rule, NULL, hint, __VA_ARGS__)

/* Allocas carry no !dbg; the earliest source line that uses one stands in for it. */
static LLVMValueRef located_user(LLVMValueRef alloca, LLVMValueRef fallback)
{
	LLVMValueRef best = fallback;
	unsigned best_line = 0;

	for (LLVMUseRef u = LLVMGetFirstUse(alloca); u; u = LLVMGetNextUse(u)) {
		LLVMValueRef user = LLVMGetUser(u);
		struct irc_loc l;

		if (!LLVMIsAInstruction(user))
			continue;
		irc_loc_of(user, &l);
		if (l.loc.line && (!best_line || l.loc.line < best_line)) {
			best_line = l.loc.line;
			best = user;
		}
	}
	return best;
}

static char *value_name(LLVMValueRef v, char *buf, size_t size)
{
	size_t len;
	const char *s = LLVMGetValueName2(v, &len);

	snprintf(buf, size, "%.*s", (int)len, s ? s : "");
	return buf;
}

/* ---- rules on the IR as clang built it ---- */

static bool is_fp_type(LLVMTypeRef t)
{
	switch (LLVMGetTypeKind(t)) {
	case LLVMHalfTypeKind:
	case LLVMBFloatTypeKind:
	case LLVMFloatTypeKind:
	case LLVMDoubleTypeKind:
	case LLVMX86_FP80TypeKind:
	case LLVMFP128TypeKind:
	case LLVMPPC_FP128TypeKind:
		return true;
	case LLVMVectorTypeKind:
	case LLVMScalableVectorTypeKind:
		return is_fp_type(LLVMGetElementType(t));
	default:
		return false;
	}
}

static bool uses_fp(LLVMValueRef inst)
{
	int n = LLVMGetNumOperands(inst);

	if (LLVMGetInstructionOpcode(inst) == LLVMAlloca)
		return false; /* no !dbg on allocas: their loads and stores are reported */
	if (is_fp_type(LLVMTypeOf(inst)))
		return true;
	for (int i = 0; i < n; i++) {
		LLVMValueRef op = LLVMGetOperand(inst, (unsigned)i);
		if (op && is_fp_type(LLVMTypeOf(op)))
			return true;
	}
	return false;
}

/* A debug intrinsic or other metadata-only call: not code. */
static bool is_debug_intrinsic(LLVMValueRef inst)
{
	LLVMValueRef callee;
	size_t len;
	const char *name;

	if (!LLVMIsACallInst(inst))
		return false;
	callee = LLVMGetCalledValue(inst);
	if (!callee || !LLVMIsAFunction(callee))
		return false;
	name = LLVMGetValueName2(callee, &len);
	return len > 9 && !strncmp(name, "llvm.dbg.", 9);
}

static unsigned check_fp(LLVMModuleRef m, struct diag_sink *sink)
{
	unsigned errors = 0;

	for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f)) {
		unsigned last_line = 0;
		char name[256];

		for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f); bb;
		     bb = LLVMGetNextBasicBlock(bb)) {
			for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i;
			     i = LLVMGetNextInstruction(i)) {
				struct irc_loc l;

				if (is_debug_intrinsic(i) || !uses_fp(i))
					continue;
				irc_loc_of(i, &l);
				if (l.loc.line && l.loc.line == last_line)
					continue; /* one report per source line */
				last_line = l.loc.line;
				errors++;
				report(sink, i, "ir-float",
				       "use integer or fixed-point arithmetic instead",
				       "floating-point arithmetic in '%s': BPF has no "
				       "floating-point registers or instructions, so the kernel "
				       "cannot run it",
				       value_name(f, name, sizeof(name)));
			}
		}
	}
	return errors;
}

static unsigned check_globals(LLVMModuleRef m, struct diag_sink *sink)
{
	static const char *const lists[] = {"llvm.global_ctors", "llvm.global_dtors"};
	unsigned errors = 0;
	char name[256];

	for (LLVMValueRef g = LLVMGetFirstGlobal(m); g; g = LLVMGetNextGlobal(g)) {
		if (!LLVMIsThreadLocal(g))
			continue;
		errors++;
		report(sink, g, "ir-tls", "use a BPF_MAP_TYPE_PERCPU_ARRAY map instead",
		       "thread-local variable '%s': BPF programs have no thread-local storage",
		       value_name(g, name, sizeof(name)));
	}
	for (size_t k = 0; k < 2; k++) {
		LLVMValueRef list = LLVMGetNamedGlobal(m, lists[k]);
		LLVMValueRef init = list ? LLVMGetInitializer(list) : NULL;
		int n = init ? LLVMGetNumOperands(init) : 0;

		for (int i = 0; i < n; i++) {
			LLVMValueRef entry = LLVMGetOperand(init, (unsigned)i);
			LLVMValueRef fn = LLVMGetNumOperands(entry) > 1 ? LLVMGetOperand(entry, 1)
									: NULL;
			errors++;
			report(sink, fn && LLVMIsAFunction(fn) ? fn : list, "ir-global-ctor",
			       "do the work in the program itself, or from user space before "
			       "loading",
			       "global %s '%s': nothing runs constructors or destructors for BPF "
			       "programs",
			       k ? "destructor" : "constructor",
			       fn ? value_name(fn, name, sizeof(name)) : "?");
		}
	}
	return errors;
}

unsigned irc_check_source(LLVMModuleRef m, struct diag_sink *sink)
{
	return check_fp(m, sink) + check_globals(m, sink);
}

/* ---- rules on the optimised IR ---- */

static bool in_ksyms(LLVMValueRef fn)
{
	const char *sec = LLVMGetSection(fn);
	return sec && !strcmp(sec, ".ksyms");
}

static bool is_helper_address(LLVMValueRef callee)
{
	/* libbpf's helper definitions: a call through (void *)<helper id>. */
	return LLVMIsAConstantExpr(callee) && LLVMGetConstOpcode(callee) == LLVMIntToPtr;
}

static bool is_variable_mem_intrinsic(LLVMValueRef call, LLVMValueRef callee)
{
	size_t len;
	const char *name = LLVMGetValueName2(callee, &len);

	if (!(len > 11 && !strncmp(name, "llvm.memcpy", 11)) &&
	    !(len > 12 && !strncmp(name, "llvm.memmove", 12)) &&
	    !(len > 11 && !strncmp(name, "llvm.memset", 11)))
		return false;
	return !LLVMIsAConstantInt(LLVMGetOperand(call, 2));
}

struct cg_node {
	LLVMValueRef fn;
	int state; /* 0 unvisited, 1 on the DFS stack, 2 done */
};

struct cg {
	struct cg_node *nodes;
	size_t n;
	struct diag_sink *sink;
	unsigned errors;
};

static struct cg_node *cg_find(struct cg *g, LLVMValueRef fn)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->nodes[i].fn == fn)
			return &g->nodes[i];
	return NULL;
}

/* DFS over direct calls; a call to a function on the stack closes a cycle. */
static void cg_visit(struct cg *g, struct cg_node *node, unsigned depth)
{
	char caller[256], callee_name[256];

	node->state = 1;
	for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(node->fn); bb;
	     bb = LLVMGetNextBasicBlock(bb)) {
		for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i;
		     i = LLVMGetNextInstruction(i)) {
			LLVMValueRef callee;
			struct cg_node *next;

			if (!LLVMIsACallInst(i))
				continue;
			callee = LLVMGetCalledValue(i);
			next = callee && LLVMIsAFunction(callee) ? cg_find(g, callee) : NULL;
			if (!next)
				continue;
			if (next->state == 1) {
				g->errors++;
				value_name(node->fn, caller, sizeof(caller));
				value_name(next->fn, callee_name, sizeof(callee_name));
				if (next == node)
					report_kernel(g->sink, i, "ir-recursion", KMSG_DEPTH,
					       "rewrite the recursion as a bounded loop",
					       "'%s' calls itself: the kernel verifier rejects "
					       "recursion",
					       caller);
				else
					report_kernel(g->sink, i, "ir-recursion", KMSG_DEPTH,
					       "rewrite the recursion as a bounded loop",
					       "'%s' calls '%s', which leads back to '%s': the "
					       "kernel verifier rejects recursive calls",
					       caller, callee_name, caller);
			} else if (next->state == 0 && depth < 4096) {
				cg_visit(g, next, depth + 1);
			}
		}
	}
	node->state = 2;
}

static unsigned check_recursion(LLVMModuleRef m, struct diag_sink *sink)
{
	struct cg g = {.sink = sink};
	size_t cap = 0;

	for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f))
		if (!LLVMIsDeclaration(f))
			cap++;
	if (!cap)
		return 0;
	g.nodes = calloc(cap, sizeof(*g.nodes));
	if (!g.nodes)
		return 1;
	for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f))
		if (!LLVMIsDeclaration(f))
			g.nodes[g.n++].fn = f;
	for (size_t i = 0; i < g.n; i++)
		if (g.nodes[i].state == 0)
			cg_visit(&g, &g.nodes[i], 0);
	free(g.nodes);
	return g.errors;
}

static unsigned check_call(LLVMValueRef f, LLVMValueRef i, struct diag_sink *sink)
{
	LLVMValueRef callee = LLVMGetCalledValue(i);
	char name[256], fname[256];

	if (!callee || LLVMIsAInlineAsm(callee) || is_helper_address(callee))
		return 0;
	if (!LLVMIsAFunction(callee)) {
		report_kernel(sink, i, "ir-indirect-call", KMSG_CALLX, "call the function by its name",
		       "call through a function pointer in '%s': the kernel verifier accepts "
		       "only direct calls",
		       value_name(f, fname, sizeof(fname)));
		return 1;
	}
	if (LLVMGetIntrinsicID(callee)) {
		if (!is_variable_mem_intrinsic(i, callee))
			return 0;
		report(sink, i, "ir-external-call",
		       "copy a constant number of bytes (bounded by a constant maximum)",
		       "memcpy/memmove/memset of a size known only at run time in '%s': BPF "
		       "has no library to call, so the size must be a constant",
		       value_name(f, fname, sizeof(fname)));
		return 1;
	}
	if (!LLVMIsDeclaration(callee) || in_ksyms(callee))
		return 0;
	report_kernel(sink, i, "ir-external-call", KMSG_EXTERN,
	       "define the function in this file, or declare a kernel function with __ksym",
	       "call to external function '%s', which is neither a BPF helper nor a kernel "
	       "function declared __ksym: nothing can resolve it when the program is loaded",
	       value_name(callee, name, sizeof(name)));
	return 1;
}

static unsigned check_frames(LLVMModuleRef m, LLVMValueRef f, struct diag_sink *sink)
{
	LLVMTargetDataRef td = LLVMGetModuleDataLayout(m);
	unsigned errors = 0;
	uint64_t frame = 0, largest_size = 0;
	LLVMValueRef largest = NULL;
	char fname[256];

	for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(f); bb;
	     bb = LLVMGetNextBasicBlock(bb)) {
		for (LLVMValueRef i = LLVMGetFirstInstruction(bb); i;
		     i = LLVMGetNextInstruction(i)) {
			LLVMValueRef count;
			uint64_t size, align;

			if (LLVMIsACallInst(i)) {
				errors += check_call(f, i, sink);
				continue;
			}
			if (LLVMGetInstructionOpcode(i) != LLVMAlloca)
				continue;
			count = LLVMGetOperand(i, 0);
			if (!LLVMIsAConstantInt(count)) {
				errors++;
				report(sink, i, "ir-dynamic-stack",
				       "give the array a constant size",
				       "variable-length array or alloca of a size known only at "
				       "run time in '%s': a BPF stack frame has a fixed size "
				       "the verifier must know",
				       value_name(f, fname, sizeof(fname)));
				continue;
			}
			size = LLVMABISizeOfType(td, LLVMGetAllocatedType(i)) *
			       LLVMConstIntGetZExtValue(count);
			align = LLVMGetAlignment(i) ? LLVMGetAlignment(i) : 1;
			frame = (frame + size + align - 1) / align * align;
			if (size > largest_size) {
				largest_size = size;
				largest = i;
			}
		}
	}
	if (frame > BPF_STACK_LIMIT) {
		errors++;
		report(sink, largest ? located_user(largest, f) : f, "ir-stack-size",
		       "move large variables into a BPF_MAP_TYPE_PERCPU_ARRAY map",
		       "the stack frame of '%s' needs at least %llu bytes (the largest variable "
		       "here takes %llu), over the 512-byte limit of a BPF stack frame",
		       value_name(f, fname, sizeof(fname)), (unsigned long long)frame,
		       (unsigned long long)largest_size);
	}
	return errors;
}

unsigned irc_check_optimised(LLVMModuleRef m, struct diag_sink *sink)
{
	unsigned errors = check_recursion(m, sink);

	for (LLVMValueRef f = LLVMGetFirstFunction(m); f; f = LLVMGetNextFunction(f))
		if (!LLVMIsDeclaration(f))
			errors += check_frames(m, f, sink);
	return errors;
}
