/*
 * probe_protos.c - asks the running kernel, helper by helper and argument by argument,
 * which register types each helper argument accepts, whether it is used at all, whether it
 * may be NULL, whether it is a constant size, whether the helper writes through it, and
 * what r0 holds after the call; its output (protos-<version>.txt) is the input of
 * gen_helper_protos.py, which writes ../helper_protos.def.
 *
 * The kernel's check_helper_call() checks the arguments in order 1..5 (check_func_arg()):
 * an argument that is used but not initialised is "R<n> !read_ok", one whose register type
 * is not among the argument kind's compatible types is "R<n> type=<t> expected=<list>"
 * (check_reg_type() prints the whole compatible list), a NULL constant is let through for
 * PTR_MAYBE_NULL kinds, a constant size of zero is "invalid zero-sized read" unless the kind
 * is ..._OR_ZERO, an unbounded size is "unbounded memory access", and a helper that writes
 * through a pointer into a map the program may only read is "write into map forbidden".
 * After the argument loop come the map/helper compatibility checks ("cannot pass map_type"),
 * then r0 is given the return type, which the log (level 2) prints on the call's line.
 *
 * So for argument n (arguments 1..n-1 set to a value found acceptable, n+1..5 unset):
 *   unset  register never written           -> used or not
 *   fp     r = r10 - 256 (initialised stack) -> accepted, or the compatible list
 *   s8     r = 8                             -> accepted, or the compatible list
 *   s0     r = 0                             -> NULL / zero size accepted?
 *   su     r = unknown u32, not 0 ((w10) | 1) -> bounded / known constant demanded?
 *   ro     r = value of a map with BPF_F_RDONLY_PROG (256 bytes) -> written by the helper?
 *   fp1    r = r10 - 1, later arguments unset -> fixed size (error names the size)
 *   fpmis  r = r10 - 251 for a fixed size     -> "misaligned stack access": MEM_ALIGNED
 * and, last, without CAP_PERFMON (see probe_uninit()):
 *   fpu    r = r10 - 512, never written       -> MEM_UNINIT or "invalid read from stack"
 * Argument 1 is unset by calling a subprogram first (a call clobbers r1..r5).  The value
 * kept for argument n is s8 when a scalar is accepted, else fp, else a map (map_ptr), else
 * the context (ctx); any other kind (socket, BTF pointer, dynptr, callback, timer...) stops
 * the walk, and the rest comes from the kernel's source (gen_helper_protos.py).
 *
 * The program type used for a helper is the first of the preference list that
 * helper_allow.def (probed) says may call it and whose trivial program loads.
 *
 * Output lines (msg = the verifier's last error line, "ok" when the program loaded):
 *   kernel <uname -r>
 *   helper <id> <prog> <attach> <flags> | helper <id> none
 *   arg <id> <n> <probe> <msg>
 *   keep <id> <n> <value>          value kept for argument n (or "stop")
 *   final <id> <map type|-> <msg>
 *   ret <id> <r0 state text after the call | void | ?>
 *   pkt <id> <n> <prog type> <msg>  a packet pointer in argument n
 *   uninit <id> <n> <msg>           never-written stack in argument n, without CAP_PERFMON
 *
 * With --maps FILE, every helper whose walk passed a map is also loaded once per map type
 * of map_specs (the other arguments as walked: keys and values on 256 bytes of zeroed stack
 * fit every map) and FILE gets, after a "kernel <uname -r>" line, one line per pair:
 *   mapfunc <helper id> <map type> <prog type> <msg>
 * "cannot pass map_type" there is check_map_func_compatibility() refusing the pair; "ok" (or
 * a reference leak at exit, which comes later) is the pair accepted; any other message was
 * met before that check and says nothing about the pair (../map_func.def, gen/README-maps.md).
 * Then bpf_map_delete_elem on a sockmap and a sockhash in every configuration that may call
 * it (may_update_sockmap()):
 *   mapprog <helper id> <map type> <prog type> <attach type> <msg>
 *
 * Usage: bpfcc_probe_protos [--maps FILE] > protos-<version>.txt   (root, or CAP_BPF +
 * CAP_PERFMON + CAP_NET_ADMIN; exit status 77 if the kernel refuses even a trivial socket
 * filter).
 */
#include <errno.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "check/check.h"

#define PROBE_F_SLEEPABLE (1u << 4) /* BPF_F_SLEEPABLE */
#define PROBE_MAX_INSNS   96
#define PROBE_NARGS       5
#define PROBE_MSG_MAX     300

enum probe_val {
	PV_UNSET,
	PV_FP,
	PV_S8,
	PV_S0,
	PV_SU,
	PV_RO,
	PV_FP1,
	PV_CTX,
	PV_MAP,
	PV_SOCK,
	PV_TASK,
	PV_PKT,
	PV_FUNC,
	PV_TIMER,
	PV_LOCK,
	PV_DYNPTR,
	PV_RINGBUF,
	PV_RBDYNPTR,
	PV_FPMIS,
	PV_FPU,
	PV_COUNT
};
static const char *const val_names[PV_COUNT] = {
    "unset", "fp",  "s8",   "s0",    "su",   "ro",     "fp1",     "ctx",      "map",   "sock",
    "task",  "pkt", "func", "timer", "lock", "dynptr", "ringbuf", "rbdynptr", "fpmis", "fpu"};

struct probe_config {
	uint32_t prog_type;
	int32_t attach_type;
	uint32_t flags;
	uint32_t attach_btf_id;
	int32_t ret;
};

struct probe_allow {
	uint32_t prog_type;
	int32_t attach_type;
	int sleepable;
	int probed;
	uint64_t bits[4];
};

static const struct probe_allow allow_rows[] = {
#define CHECK_HELPER_ALLOW(p, a, s, src, w0, w1, w2, w3)                                           \
	{(p), (a), (s), !strcmp(#src, "PROBE"), {(w0), (w1), (w2), (w3)}},
#include "check/helper_allow.def"
#undef CHECK_HELPER_ALLOW
};

static const char *const helper_names[CHECK_HELPER_MAX_ID + 1] = {
#define CHECK_HELPER(id, name, gpl, maj, min, src) [id] = #name,
#include "check/helpers.def"
#undef CHECK_HELPER
};

/* Program types tried first: simple contexts, no attach target. */
static const uint32_t prog_pref[] = {3,  1,  6,  2,  5,  17, 7,  8,  13, 14, 16, 9,  18, 4,
                                     10, 11, 12, 15, 19, 21, 22, 23, 24, 25, 26, 30, 31, 32};

/* How a map of map_specs is created: plainly, as a map of maps (an array inner map), or with
 * the program BTF's int key and 8-byte struct value (local storage, BPF_F_NO_PREALLOC). */
enum probe_map_make { PM_PLAIN, PM_OUTER, PM_BTF };

/* Map types tried for a map_ptr argument, with key/value sizes the kernel accepts. */
static const struct {
	uint32_t type, key, value, max, flags;
	enum probe_map_make make;
} map_specs[] = {
    {1, 4, 8, 1, 0, PM_PLAIN},     /* hash */
    {2, 4, 8, 1, 0, PM_PLAIN},     /* array */
    {3, 4, 4, 1, 0, PM_PLAIN},     /* prog_array */
    {4, 4, 4, 1, 0, PM_PLAIN},     /* perf_event_array */
    {5, 4, 8, 1, 0, PM_PLAIN},     /* percpu_hash */
    {6, 4, 8, 1, 0, PM_PLAIN},     /* percpu_array */
    {7, 4, 64, 1, 0, PM_PLAIN},    /* stack_trace */
    {8, 4, 4, 1, 0, PM_PLAIN},     /* cgroup_array */
    {9, 4, 8, 1, 0, PM_PLAIN},     /* lru_hash */
    {14, 4, 4, 1, 0, PM_PLAIN},    /* devmap */
    {15, 4, 4, 1, 0, PM_PLAIN},    /* sockmap */
    {16, 4, 4, 1, 0, PM_PLAIN},    /* cpumap */
    {17, 4, 4, 1, 0, PM_PLAIN},    /* xskmap */
    {18, 4, 4, 1, 0, PM_PLAIN},    /* sockhash */
    {20, 4, 8, 1, 0, PM_PLAIN},    /* reuseport_sockarray */
    {22, 0, 8, 1, 0, PM_PLAIN},    /* queue */
    {23, 0, 8, 1, 0, PM_PLAIN},    /* stack */
    {25, 4, 4, 1, 0, PM_PLAIN},    /* devmap_hash */
    {27, 0, 0, 4096, 0, PM_PLAIN}, /* ringbuf */
    {30, 0, 8, 1, 0, PM_PLAIN},    /* bloom_filter */
    {31, 0, 0, 4096, 0, PM_PLAIN}, /* user_ringbuf */
    {19, 8, 8, 0, 0, PM_PLAIN},    /* cgroup_storage */
    {21, 8, 8, 0, 0, PM_PLAIN},    /* percpu_cgroup_storage */
    /* after the first ones: a helper's walk keeps the first map type that loads */
    {10, 4, 8, 1, 0, PM_PLAIN}, /* lru_percpu_hash */
    {11, 8, 8, 1, 1, PM_PLAIN}, /* lpm_trie (BPF_F_NO_PREALLOC) */
    {12, 4, 4, 1, 0, PM_OUTER}, /* array_of_maps */
    {13, 4, 4, 1, 0, PM_OUTER}, /* hash_of_maps */
    {24, 4, 8, 0, 1, PM_BTF},   /* sk_storage */
    {28, 4, 8, 0, 1, PM_BTF},   /* inode_storage */
    {29, 4, 8, 0, 1, PM_BTF},   /* task_storage */
    {32, 4, 8, 0, 1, PM_BTF},   /* cgrp_storage */
};
#define PROBE_NMAPS (sizeof(map_specs) / sizeof(map_specs[0]))

static char log_buf[1 << 20];
static char msg[PROBE_MSG_MAX];
static int map_fds[PROBE_NMAPS];
static int ro_map_fd = -1;
static struct btf *vmlinux;
static const int skb_sk_off = (int)offsetof(struct __sk_buff, sk);
static uint32_t pkt_prog; /* program type of a PV_PKT load: sched_cls or xdp */
static bool unprivileged; /* no CAP_PERFMON: no pointer leak in the program's prologue */
static FILE *maps_out;    /* --maps FILE: every (helper, map type) pair */

/* What the walk found for each helper, for the pass without CAP_PERFMON. */
static struct probe_config walked_cfg[CHECK_HELPER_MAX_ID + 1];
static enum probe_val walked_vals[CHECK_HELPER_MAX_ID + 1][5];
static bool walked[CHECK_HELPER_MAX_ID + 1];

#define PROBE_HELPER_TASK_BTF        158 /* bpf_get_current_task_btf */
#define PROBE_HELPER_DYNPTR_FROM_MEM 197 /* bpf_dynptr_from_mem */
#define PROBE_ARRAY_MAP              1   /* map_specs[1]: an array, value 8 bytes */
#define PROBE_HELPER_RINGBUF_RESERVE 131 /* bpf_ringbuf_reserve */
#define PROBE_HELPER_RINGBUF_DYNPTR  198 /* bpf_ringbuf_reserve_dynptr */
#define PROBE_MAP_RINGBUF            27  /* BPF_MAP_TYPE_RINGBUF */

struct probe_prog {
	struct bpf_insn insns[PROBE_MAX_INSNS];
	size_t n;
	struct bpf_func_info funcs[3]; /* with a callback: main, the subprogram, the callback */
	uint32_t nfuncs;
};

/* Program and map BTF (callbacks need func_info; timers and spin locks a map value type
 * naming struct bpf_timer / struct bpf_spin_lock).  Value: int x; lock at 4; timer at 8. */
static struct btf *prog_btf;
static uint32_t btf_func_main, btf_func_sub, btf_func_cb;
static int btf_int, btf_plain; /* int and struct plain { int x; int y; } (storage maps) */
static int btf_map_fd = -1;
#define PROBE_LOCK_OFF  4
#define PROBE_TIMER_OFF 8

static void emit(struct probe_prog *p, struct bpf_insn insn)
{
	if (p->n < PROBE_MAX_INSNS)
		p->insns[p->n++] = insn;
}

static struct bpf_insn mk(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = {.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
	return i;
}

static void emit_ld_imm64(struct probe_prog *p, uint8_t dst, uint8_t src, int32_t imm, int32_t imm2)
{
	emit(p, mk(BPF_LD | BPF_DW | BPF_IMM, dst, src, 0, imm));
	emit(p, mk(0, 0, 0, 0, imm2));
}

static int ringbuf_fd(void)
{
	size_t m;

	for (m = 0; m < PROBE_NMAPS; m++)
		if (map_specs[m].type == PROBE_MAP_RINGBUF)
			return map_fds[m];
	return -1;
}

/* The program: r6 = ctx, w7 = unknown, stack fp-256..-1 zeroed, subprogram call (clobbers
 * r1..r5), the arguments, call <id>, r0 = ret, exit; the subprogram r0 = 0, exit. */
static void build(struct probe_prog *p, uint32_t id, const enum probe_val *vals, int nvals,
                  int map_fd, int32_t ret)
{
	size_t call_at;
	int k;

	size_t func_at = 0, cb_at;

	p->n = 0;
	p->nfuncs = 0;
	emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0));
	if (!unprivileged)
		emit(p, mk(BPF_ALU | BPF_MOV | BPF_X, 7, 10, 0, 0));
	for (k = 1; k <= 32; k++)
		emit(p, mk(BPF_ST | BPF_MEM | BPF_DW, 10, 0, (int16_t)(-8 * k), 0));
	for (k = 0; k < nvals; k++)
		if (vals[k] == PV_RINGBUF) { /* r9 = 8 reserved ringbuf bytes, not NULL */
			emit_ld_imm64(p, 1, BPF_PSEUDO_MAP_FD, ringbuf_fd(), 0);
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 8));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0));
			emit(p, mk(BPF_JMP | BPF_CALL, 0, 0, 0, PROBE_HELPER_RINGBUF_RESERVE));
			emit(p, mk(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 2, 0));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, ret));
			emit(p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, 9, 0, 0, 0));
			break;
		}
	for (k = 0; k < nvals; k++)
		if (vals[k] == PV_RBDYNPTR) { /* a ringbuf dynptr at fp-288 */
			emit_ld_imm64(p, 1, BPF_PSEUDO_MAP_FD, ringbuf_fd(), 0);
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 8));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, 4, 10, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, -288));
			emit(p, mk(BPF_JMP | BPF_CALL, 0, 0, 0, PROBE_HELPER_RINGBUF_DYNPTR));
			break;
		}
	for (k = 0; k < nvals; k++)
		if (vals[k] == PV_DYNPTR) { /* a local dynptr at fp-272 over an array value */
			emit_ld_imm64(p, 1, BPF_PSEUDO_MAP_VALUE, map_fds[PROBE_ARRAY_MAP], 0);
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 8));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, 4, 10, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, -272));
			emit(p, mk(BPF_JMP | BPF_CALL, 0, 0, 0, PROBE_HELPER_DYNPTR_FROM_MEM));
			break;
		}
	for (k = 0; k < nvals; k++)
		if (vals[k] == PV_TASK) {
			emit(p, mk(BPF_JMP | BPF_CALL, 0, 0, 0, PROBE_HELPER_TASK_BTF));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, 8, 0, 0, 0));
			break;
		}
	for (k = 0; k < nvals; k++)
		if (vals[k] == PV_PKT) { /* r7 = data with 256 bytes checked against data_end */
			bool xdp = pkt_prog == BPF_PROG_TYPE_XDP;
			int16_t d = (int16_t)(xdp ? offsetof(struct xdp_md, data)
			                          : offsetof(struct __sk_buff, data));
			int16_t e = (int16_t)(xdp ? offsetof(struct xdp_md, data_end)
			                          : offsetof(struct __sk_buff, data_end));

			emit(p, mk(BPF_LDX | BPF_MEM | BPF_W, 7, 6, d, 0));
			emit(p, mk(BPF_LDX | BPF_MEM | BPF_W, 8, 6, e, 0));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, 9, 7, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_ADD | BPF_K, 9, 0, 0, 256));
			emit(p, mk(BPF_JMP | BPF_JLE | BPF_X, 9, 8, 2, 0));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, ret));
			emit(p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
			break;
		}
	for (k = 0; k < nvals; k++)
		if (vals[k] == PV_SOCK) { /* r9 = skb->sk, not NULL */
			emit(p, mk(BPF_LDX | BPF_MEM | BPF_DW, 9, 6, (int16_t)skb_sk_off, 0));
			emit(p, mk(BPF_JMP | BPF_JNE | BPF_K, 9, 0, 2, 0));
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, ret));
			emit(p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
			break;
		}
	call_at = p->n;
	emit(p, mk(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0));
	for (k = 0; k < nvals; k++) {
		uint8_t r = (uint8_t)(k + 1);

		switch (vals[k]) {
		case PV_UNSET:
		case PV_COUNT:
			break;
		case PV_FPU: /* 8 bytes of never written stack */
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 10, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_ADD | BPF_K, r, 0, 0, -512));
			break;
		case PV_FP:
		case PV_FP1:
		case PV_FPMIS:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 10, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_ADD | BPF_K, r, 0, 0,
			           vals[k] == PV_FP    ? -256
			           : vals[k] == PV_FP1 ? -1
			                               : -251));
			break;
		case PV_S8:
		case PV_S0:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, vals[k] == PV_S8 ? 8 : 0));
			break;
		case PV_SU:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 7, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_OR | BPF_K, r, 0, 0, 1));
			break;
		case PV_RO:
			emit_ld_imm64(p, r, BPF_PSEUDO_MAP_VALUE, ro_map_fd, 0);
			break;
		case PV_CTX:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 6, 0, 0));
			break;
		case PV_MAP:
			emit_ld_imm64(p, r, BPF_PSEUDO_MAP_FD, map_fd, 0);
			break;
		case PV_SOCK:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 9, 0, 0));
			break;
		case PV_TASK:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 8, 0, 0));
			break;
		case PV_PKT:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 7, 0, 0));
			break;
		case PV_FUNC:
			func_at = p->n;
			emit_ld_imm64(p, r, BPF_PSEUDO_FUNC, 0, 0);
			break;
		case PV_TIMER:
		case PV_LOCK:
			emit_ld_imm64(p, r, BPF_PSEUDO_MAP_VALUE, btf_map_fd,
			              vals[k] == PV_TIMER ? PROBE_TIMER_OFF : PROBE_LOCK_OFF);
			break;
		case PV_DYNPTR:
		case PV_RBDYNPTR:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 10, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_ADD | BPF_K, r, 0, 0,
			           vals[k] == PV_DYNPTR ? -272 : -288));
			break;
		case PV_RINGBUF:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 9, 0, 0));
			break;
		}
	}
	emit(p, mk(BPF_JMP | BPF_CALL, 0, 0, 0, (int32_t)id));
	emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, ret));
	emit(p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	p->insns[call_at].imm = (int32_t)(p->n - call_at - 1);
	emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	emit(p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	if (func_at) { /* the callback: r0 = 0; exit, described in BTF */
		cb_at = p->n;
		p->insns[func_at].imm = (int32_t)(cb_at - func_at - 1);
		emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
		emit(p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
		p->funcs[0] = (struct bpf_func_info){0, btf_func_main};
		p->funcs[1] = (struct bpf_func_info){
		    (uint32_t)(call_at + 1 + p->insns[call_at].imm), btf_func_sub};
		p->funcs[2] = (struct bpf_func_info){(uint32_t)cb_at, btf_func_cb};
		p->nfuncs = 3;
	}
}

/* Loads; returns 0 or -errno, the log in log_buf and its last error line in msg. */
static int load(const struct probe_config *c, const struct probe_prog *p, int level)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log_buf, .log_size = sizeof(log_buf),
	            .log_level = (uint32_t)level);
	char *line, *end, *best = NULL;
	int fd, err = 0;
	size_t len;

	opts.expected_attach_type = c->attach_type < 0 ? 0 : (enum bpf_attach_type)c->attach_type;
	opts.prog_flags = c->flags;
	opts.attach_btf_id = c->attach_btf_id;
	if (p->nfuncs && prog_btf) {
		opts.prog_btf_fd = btf__fd(prog_btf);
		opts.func_info = p->funcs;
		opts.func_info_cnt = p->nfuncs;
		opts.func_info_rec_size = sizeof(p->funcs[0]);
	}
	log_buf[0] = '\0';
	fd = bpf_prog_load((enum bpf_prog_type)c->prog_type, "probe", "GPL", p->insns, p->n, &opts);
	if (fd < 0)
		err = -errno;
	else
		close(fd);
	snprintf(msg, sizeof(msg), "ok");
	if (!err)
		return 0;
	/* The last line that is not a statistics line. */
	for (line = log_buf; *line; line = end + (*end != '\0')) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		if (end == line || !strncmp(line, "processed ", 10) ||
		    !strncmp(line, "verification time", 17) || !strncmp(line, "stack depth", 11))
			continue;
		best = line;
		len = (size_t)(end - line);
		if (len >= sizeof(msg))
			len = sizeof(msg) - 1;
		memcpy(msg, line, len);
		msg[len] = '\0';
	}
	if (!best)
		snprintf(msg, sizeof(msg), "errno %d", -err);
	for (line = msg; *line; line++)
		if (*line == '\n' || *line == '\t')
			*line = ' ';
	return err;
}

static bool allowed(const struct probe_allow *a, uint32_t id)
{
	if (id > CHECK_HELPER_MAX_ID)
		return true;
	return a->probed && (a->bits[id / 64] >> (id % 64) & 1);
}

static uint32_t btf_target(int32_t attach_type)
{
	const char *name = NULL;
	int kind = BTF_KIND_FUNC, id;

	if (!vmlinux)
		return 0;
	if (attach_type == CHECK_ATTACH_TRACE_RAW_TP) {
		name = "btf_trace_sched_switch";
		kind = BTF_KIND_TYPEDEF;
	} else if (attach_type == CHECK_ATTACH_TRACE_ITER) {
		name = "bpf_iter_task";
	} else {
		return 0;
	}
	id = btf__find_by_name_kind(vmlinux, name, kind);
	return id > 0 ? (uint32_t)id : 0;
}

/* The configuration of allow row a in *out, if a trivial program loads in it: 0 or -ENOENT. */
static int config_loads(const struct probe_allow *a, struct probe_config *out)
{
	struct probe_prog p;

	*out = (struct probe_config){
	    .prog_type = a->prog_type,
	    .attach_type = a->attach_type,
	    .flags = a->sleepable ? PROBE_F_SLEEPABLE : 0,
	    .attach_btf_id = btf_target(a->attach_type),
	};
	p.n = 0;
	p.nfuncs = 0;
	emit(&p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	emit(&p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	if (load(out, &p, 1) == 0)
		return 0;
	p.insns[0].imm = 1;
	if (load(out, &p, 1) == 0) {
		out->ret = 1;
		return 0;
	}
	return -ENOENT;
}

/* The first configuration (preference order) that may call id and loads trivially. */
static int pick_config(uint32_t id, uint32_t also, struct probe_config *out)
{
	size_t i, k;

	for (k = 0; k < sizeof(prog_pref) / sizeof(prog_pref[0]); k++) {
		for (i = 0; i < sizeof(allow_rows) / sizeof(allow_rows[0]); i++) {
			const struct probe_allow *a = &allow_rows[i];

			if (a->prog_type != prog_pref[k] || !allowed(a, id) ||
			    (also && !allowed(a, also)))
				continue;
			if (also == CHECK_HELPER_MAX_ID + 1 && a->prog_type != 3 &&
			    a->prog_type != 8)
				continue; /* a socket: a __sk_buff context with a sk field */
			if (config_loads(a, out) == 0)
				return 0;
		}
	}
	return -ENOENT;
}

static int probe_one(const struct probe_config *c, uint32_t id, enum probe_val *vals, int nvals,
                     int map_fd, int level)
{
	struct probe_prog p;
	int k;

	for (k = 0; k < nvals; k++)
		if (vals[k] == PV_TIMER)
			map_fd = btf_map_fd; /* bpf_timer_init(): the timer's own map */
	build(&p, id, vals, nvals, map_fd, c->ret);
	return load(c, &p, level);
}

/* Does msg say argument n was refused (rather than a later one, or nothing)? */
static bool refused_arg(int n)
{
	char a[32], b[32];
	const char *s;

	snprintf(a, sizeof(a), "R%d ", n);
	snprintf(b, sizeof(b), "R%d=", n);
	for (s = strstr(msg, a); s; s = strstr(s + 1, a))
		if (s == msg || s[-1] == ' ' || s[-1] == '(')
			return true;
	if (strstr(msg, b))
		return true;
	/* Dynptr messages count arguments from 0 ("arg #2" is R3), reference ones from 1. */
	snprintf(a, sizeof(a), "arg #%d", n - 1);
	snprintf(b, sizeof(b), "arg %d ", n);
	return strstr(msg, a) || strstr(msg, b);
}

/* Did the load get past argument n: loaded, a later register named, or a check made after
 * the arguments (map compatibility, references at exit)? */
static bool passed_to_next(int n)
{
	char a[32];
	int m;

	if (!strcmp(msg, "ok") || strstr(msg, "cannot pass map_type") ||
	    strstr(msg, "Unreleased reference") || strstr(msg, "reference leak") ||
	    strstr(msg, "bpf_spin_lock-ed region") || strstr(msg, "bpf_spin_unlock without"))
		return true; /* the last two: the lock was taken (or checked) by the call */
	for (m = n + 1; m <= PROBE_NARGS; m++) {
		snprintf(a, sizeof(a), "R%d ", m);
		if (!strncmp(msg, a, strlen(a)))
			return true;
	}
	return false;
}

/* With the arguments found acceptable, each stack buffer in turn replaced by a packet
 * pointer, in a sched_cls or xdp program that may call id: "helper access to the packet is
 * not allowed" unless the helper's bpf_func_proto has pkt_access. */
static void probe_pkt(uint32_t id, const enum probe_val *kept)
{
	enum probe_val vals[PROBE_NARGS];
	struct probe_config c = {.attach_type = -1};
	size_t i;
	int n;

	for (n = 0; n < PROBE_NARGS; n++)
		if (kept[n] == PV_TASK || kept[n] == PV_SOCK)
			return; /* r7..r9 are taken */
	for (i = 0; i < sizeof(allow_rows) / sizeof(allow_rows[0]); i++)
		if (allow_rows[i].prog_type == BPF_PROG_TYPE_SCHED_CLS &&
		    allowed(&allow_rows[i], id))
			break;
	if (i == sizeof(allow_rows) / sizeof(allow_rows[0]))
		for (i = 0; i < sizeof(allow_rows) / sizeof(allow_rows[0]); i++)
			if (allow_rows[i].prog_type == BPF_PROG_TYPE_XDP &&
			    allowed(&allow_rows[i], id))
				break;
	if (i == sizeof(allow_rows) / sizeof(allow_rows[0]))
		return;
	c.prog_type = pkt_prog = allow_rows[i].prog_type;
	c.attach_type = allow_rows[i].attach_type;
	for (n = 1; n <= PROBE_NARGS; n++) {
		if (kept[n - 1] != PV_FP)
			continue;
		memcpy(vals, kept, sizeof(vals));
		vals[n - 1] = PV_PKT;
		probe_one(&c, id, vals, PROBE_NARGS, map_fds[0], 1);
		printf("pkt %u %d %u %s\n", id, n, c.prog_type, msg);
	}
}

/* Walks helper id's arguments in a configuration that may also call `also` (0: any;
 * CHECK_HELPER_MAX_ID + 1: a __sk_buff program, for a socket).  Returns the value class
 * the walk stopped at: PV_SOCK or PV_TASK if retrying in such a configuration may help. */
static enum probe_val probe_helper(uint32_t id, uint32_t also)
{
	struct probe_config c;
	enum probe_val vals[PROBE_NARGS] = {PV_UNSET};
	bool has_map = false, stopped = false;
	enum probe_val retry = PV_COUNT;
	int best, fallback = -1;
	size_t m;
	int n;

	if (pick_config(id, also, &c) < 0) {
		printf("helper %u none\n", id);
		return PV_COUNT;
	}
	printf("helper %u %u %d %u\n", id, c.prog_type, c.attach_type, c.flags);
	for (n = 1; n <= PROBE_NARGS; n++) {
		static const enum probe_val tries[] = {PV_UNSET, PV_FP, PV_S8, PV_S0, PV_SU, PV_RO};
		bool ok[PV_COUNT] = {false};
		char list[PROBE_MSG_MAX] = "";
		size_t t;

		for (t = 0; t < sizeof(tries) / sizeof(tries[0]); t++) {
			enum probe_val v = tries[t];

			if (v == PV_RO && ro_map_fd < 0)
				continue;
			vals[n - 1] = v;
			probe_one(&c, id, vals, n, map_fds[0], 1);
			ok[v] = !refused_arg(n);
			printf("arg %u %d %s %s\n", id, n, val_names[v], msg);
			if (!list[0] && strstr(msg, "expected="))
				snprintf(list, sizeof(list), "%s", strstr(msg, "expected="));
			if (v == PV_UNSET && ok[v])
				break; /* not used: neither is any later argument */
		}
		if (ok[PV_UNSET]) {
			vals[n - 1] = PV_UNSET;
			printf("keep %u %d unused\n", id, n);
			break;
		}
		if (ok[PV_FP] && !ok[PV_S8]) {
			/* A pointer to memory: a fixed size shows with a 1-byte buffer. */
			vals[n - 1] = PV_FP1;
			probe_one(&c, id, vals, n, map_fds[0], 1);
			printf("arg %u %d fp1 %s\n", id, n, msg);
			if (strstr(msg, "stack R") && strstr(msg, "off=-1 size=")) {
				/* A fixed size: must the buffer be aligned (MEM_ALIGNED)? */
				vals[n - 1] = PV_FPMIS;
				probe_one(&c, id, vals, n, map_fds[0], 1);
				printf("arg %u %d fpmis %s\n", id, n, msg);
			}
		}
		if (n > 1 && vals[n - 2] == PV_FP && ok[PV_S8] && !ok[PV_FP] && ro_map_fd >= 0) {
			/* A size: does the helper write the memory of the argument before? */
			vals[n - 2] = PV_RO;
			vals[n - 1] = PV_S8;
			probe_one(&c, id, vals, n, map_fds[0], 1);
			printf("arg %u %d rosized %s\n", id, n - 1, msg);
			vals[n - 2] = PV_FP;
		}
		if (ok[PV_S8] && ok[PV_FP] && ok[PV_S0])
			vals[n - 1] = PV_S0; /* anything: flags are best 0 */
		else if (ok[PV_S8])
			vals[n - 1] = PV_S8;
		else if (ok[PV_FP])
			vals[n - 1] = PV_FP;
		else if (strstr(list, "map_ptr"))
			vals[n - 1] = PV_MAP, has_map = true;
		else if (strstr(list, "ctx"))
			vals[n - 1] = PV_CTX;
		else if (strstr(list, "sock_common") && also == CHECK_HELPER_MAX_ID + 1)
			vals[n - 1] = PV_SOCK;
		else if (strstr(list, "sock_common") || strstr(list, "sock,"))
			stopped = true, retry = PV_SOCK;
		else if (strstr(list, "trusted_ptr_") && also == PROBE_HELPER_TASK_BTF)
			vals[n - 1] = PV_TASK;
		else if (strstr(list, "trusted_ptr_"))
			stopped = true, retry = PV_TASK;
		else if (!strcmp(list, "expected=func"))
			vals[n - 1] = PV_FUNC;
		else if (!strcmp(list, "expected=ringbuf_mem"))
			vals[n - 1] = PV_RINGBUF;
		else if (!strncmp(list, "expected=map_value", 18) || strstr(list, "dynptr_ptr")) {
			/* A constant string (frozen read-only map) or a timer for "map_value", a
			 * spin lock for "map_value, ptr_", a local dynptr: the first the kernel
			 * lets through to the next argument. */
			static const enum probe_val str_timer[] = {PV_RO, PV_TIMER};
			static const enum probe_val lock[] = {PV_LOCK};
			static const enum probe_val dynptr[] = {PV_DYNPTR, PV_RBDYNPTR};
			const enum probe_val *cands = str_timer;
			size_t ci, nc = 2;

			if (strstr(list, "dynptr_ptr"))
				cands = dynptr, nc = 2;
			else if (strcmp(list, "expected=map_value"))
				cands = lock, nc = 1;
			stopped = true;
			for (ci = 0; ci < nc && stopped; ci++) {
				vals[n - 1] = cands[ci];
				probe_one(&c, id, vals, n, map_fds[0], 1);
				printf("arg %u %d %s %s\n", id, n, val_names[cands[ci]], msg);
				if (passed_to_next(n))
					stopped = false;
			}
		} else
			stopped = true;
		if (!stopped) {
			/* The chosen value must pass for the walk to go on. */
			probe_one(&c, id, vals, n, map_fds[0], 1);
			if (refused_arg(n))
				stopped = true;
		}
		printf("keep %u %d %s\n", id, n, stopped ? "stop" : val_names[vals[n - 1]]);
		if (stopped)
			break;
	}
	if (stopped) {
		printf("ret %u ?\n", id);
		return retry;
	}
	probe_pkt(id, vals);
	walked_cfg[id] = c;
	memcpy(walked_vals[id], vals, sizeof(walked_vals[id]));
	walked[id] = true;
	for (m = 0; has_map && maps_out && m < PROBE_NMAPS; m++) {
		size_t k;

		for (k = 0; k < PROBE_NARGS && vals[k] != PV_TIMER; k++)
			;
		if (map_fds[m] < 0 || k < PROBE_NARGS)
			continue; /* bpf_timer_init() is given the timer's own map */
		probe_one(&c, id, vals, PROBE_NARGS, map_fds[m], 1);
		fprintf(maps_out, "mapfunc %u %u %u %s\n", id, map_specs[m].type, c.prog_type, msg);
	}
	/* The map type: the first that loads (or only leaks the reference the helper
	 * returned), else the first refused for another reason than its type. */
	best = -1;
	for (m = 0; has_map && m < PROBE_NMAPS; m++) {
		if (map_fds[m] < 0)
			continue;
		probe_one(&c, id, vals, PROBE_NARGS, map_fds[m], 1);
		if (!strcmp(msg, "ok") || strstr(msg, "reference")) {
			best = (int)m;
			break;
		}
		if (fallback < 0 && !strstr(msg, "map_type") && !strstr(msg, " map for ") &&
		    !strstr(msg, "write into map forbidden") && !strstr(msg, "invalid arg_type"))
			fallback = (int)m;
	}
	if (best < 0)
		best = fallback;
	for (m = has_map ? (size_t)best : 0; !has_map || best >= 0;) {
		char *call, *semi, *eol, r0[PROBE_MSG_MAX];
		char tag[32];
		size_t len;

		probe_one(&c, id, vals, PROBE_NARGS, map_fds[m], 2);
		if ((eol = strstr(msg, "processed ")) != NULL)
			*eol = '\0';
		if (has_map)
			printf("final %u %u %s\n", id, map_specs[m].type, msg);
		else
			printf("final %u - %s\n", id, msg);
		snprintf(tag, sizeof(tag), "#%u", id);
		r0[0] = '\0';
		/* The call's state line ("NN: (85) call name#id   ; R0=...") or, when precision
		 * marking intervened, the next state line ("NN: R0=..."); the R0 token only. */
		for (call = strstr(log_buf, ") call "); call; call = strstr(call + 1, ") call ")) {
			eol = strchr(call, '\n');
			semi = strchr(call, ';');
			if (!strstr(call, tag) || (eol && strstr(call, tag) > eol))
				continue;
			if (semi && eol && semi > eol)
				semi = NULL;
			if (!semi && eol) { /* the listing (no state) or a later state line */
				for (semi = eol + 1;
				     *semi && strncmp(semi, "mark_precise", 12) == 0;) {
					eol = strchr(semi, '\n');
					semi = eol ? eol + 1 : semi + strlen(semi);
				}
				/* Only a state line ("NN: R0=..."), not the next instruction's. */
				len = strspn(semi, "0123456789");
				if (!len || strncmp(semi + len, ": R0=", 5))
					continue;
			}
			eol = strchr(semi, '\n');
			semi = strstr(semi, "R0");
			if (!semi || (eol && semi > eol)) {
				/* The state after the call names no r0: RET_VOID left it unset. */
				snprintf(r0, sizeof(r0), "void");
				break;
			}
			{
				int depth = 0;

				for (len = 0;
				     semi[len] && semi[len] != '\n' && len + 1 < sizeof(r0);
				     len++) {
					if (semi[len] == '(')
						depth++;
					else if (semi[len] == ')')
						depth--;
					else if (semi[len] == ' ' && depth == 0)
						break;
				}
			}
			memcpy(r0, semi, len);
			r0[len] = '\0';
			break;
		}
		printf("ret %u %s\n", id, r0[0] ? r0 : "?");
		return PV_COUNT;
	}
	printf("final %u - no map type accepted\n", id);
	printf("ret %u ?\n", id);
	return PV_COUNT;
}

/*
 * may_update_sockmap(): bpf_map_delete_elem(sockmap or sockhash, fp key) in every
 * configuration that may call it and loads trivially, into the --maps file as
 *   mapprog <helper id> <map type> <prog type> <attach type> <msg>
 * (updates need a socket value first: not probed).
 */
static void probe_sockmap_delete(void)
{
	enum probe_val vals[PROBE_NARGS] = {PV_MAP, PV_FP};
	struct probe_config c;
	size_t i, m;

	for (i = 0; maps_out && i < sizeof(allow_rows) / sizeof(allow_rows[0]); i++) {
		if (!allowed(&allow_rows[i], BPF_FUNC_map_delete_elem) ||
		    config_loads(&allow_rows[i], &c) < 0)
			continue;
		for (m = 0; m < PROBE_NMAPS; m++) {
			if (map_fds[m] < 0 || (map_specs[m].type != BPF_MAP_TYPE_SOCKMAP &&
			                       map_specs[m].type != BPF_MAP_TYPE_SOCKHASH))
				continue;
			probe_one(&c, BPF_FUNC_map_delete_elem, vals, 2, map_fds[m], 1);
			fprintf(maps_out, "mapprog %u %u %u %d %s\n", BPF_FUNC_map_delete_elem,
			        map_specs[m].type, c.prog_type, c.attach_type, msg);
		}
	}
}

/*
 * check_map_prog_compatibility()'s sleepable rule: a program that only names each map it can
 * create (ld_imm64 of the map, r0 = ret, exit), loaded in every sleepable configuration that
 * loads trivially, into the --maps file as
 *   mapsleep <map type> <prog type> <attach type> <message | ok>
 * The rule is checked while the map references are resolved, before the walk.
 */
static void probe_sleepable_maps(void)
{
	struct probe_config c;
	struct probe_prog p;
	size_t i, m;

	for (i = 0; maps_out && i < sizeof(allow_rows) / sizeof(allow_rows[0]); i++) {
		if (!allow_rows[i].sleepable || config_loads(&allow_rows[i], &c) < 0)
			continue;
		for (m = 0; m < PROBE_NMAPS; m++) {
			if (map_fds[m] < 0)
				continue;
			p.n = 0;
			p.nfuncs = 0;
			emit_ld_imm64(&p, 1, BPF_PSEUDO_MAP_FD, map_fds[m], 0);
			emit(&p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, c.ret));
			emit(&p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
			load(&c, &p, 1);
			fprintf(maps_out, "mapsleep %u %u %d %s\n", map_specs[m].type, c.prog_type,
			        c.attach_type, msg);
		}
	}
}

/*
 * A privileged load may read uninitialised stack (env->allow_uninit_stack = CAP_PERFMON), so
 * whether a written buffer is also MEM_UNINIT shows only without CAP_PERFMON (and
 * CAP_SYS_ADMIN): in a child that dropped them, each stack buffer of a walked helper is
 * replaced by 8 never-written bytes ("invalid read from stack" unless MEM_UNINIT).  Program
 * types that need CAP_PERFMON (tracing) are refused there: those answers are EPERM.
 */
static void probe_uninit(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2];
	enum probe_val vals[PROBE_NARGS];
	uint32_t id;
	pid_t pid;
	int n;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return;
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		return;
	}
	if (syscall(SYS_capget, &hdr, data) < 0)
		_exit(1);
	data[CAP_PERFMON / 32].effective &= ~(1u << (CAP_PERFMON % 32));
	data[CAP_PERFMON / 32].permitted &= ~(1u << (CAP_PERFMON % 32));
	data[CAP_SYS_ADMIN / 32].effective &= ~(1u << (CAP_SYS_ADMIN % 32));
	data[CAP_SYS_ADMIN / 32].permitted &= ~(1u << (CAP_SYS_ADMIN % 32));
	if (syscall(SYS_capset, &hdr, data) < 0) {
		fprintf(stderr, "probe_protos: capset: %s\n", strerror(errno));
		_exit(1);
	}
	unprivileged = true;
	for (id = 1; id <= CHECK_HELPER_MAX_ID; id++) {
		if (!walked[id])
			continue;
		for (n = 1; n <= PROBE_NARGS; n++) {
			if (walked_vals[id][n - 1] != PV_FP)
				continue;
			memcpy(vals, walked_vals[id], sizeof(vals));
			vals[n - 1] = PV_FPU;
			probe_one(&walked_cfg[id], id, vals, PROBE_NARGS, map_fds[0], 1);
			printf("uninit %u %d %s\n", id, n, msg);
		}
	}
	fflush(stdout);
	_exit(0);
}

/* The program BTF (three functions) and the map with a spin lock and a timer. */
static void setup_btf(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, o);
	int i32, u64, arr, lock, timer, val, proto;

	prog_btf = btf__new_empty();
	if (!prog_btf)
		return;
	i32 = btf__add_int(prog_btf, "int", 4, BTF_INT_SIGNED);
	u64 = btf__add_int(prog_btf, "unsigned long long", 8, 0);
	proto = btf__add_func_proto(prog_btf, i32);
	btf_func_main = (uint32_t)btf__add_func(prog_btf, "main", BTF_FUNC_GLOBAL, proto);
	btf_func_sub = (uint32_t)btf__add_func(prog_btf, "sub", BTF_FUNC_STATIC, proto);
	btf_func_cb = (uint32_t)btf__add_func(prog_btf, "cb", BTF_FUNC_STATIC, proto);
	btf_int = i32;
	btf_plain = btf__add_struct(prog_btf, "plain", 8);
	btf__add_field(prog_btf, "x", i32, 0, 0);
	btf__add_field(prog_btf, "y", i32, 32, 0);
	lock = btf__add_struct(prog_btf, "bpf_spin_lock", 4);
	btf__add_field(prog_btf, "val", i32, 0, 0);
	arr = btf__add_array(prog_btf, i32, u64, 2);
	timer = btf__add_struct(prog_btf, "bpf_timer", 16);
	btf__add_field(prog_btf, "opaque", arr, 0, 0);
	val = btf__add_struct(prog_btf, "val", 24);
	btf__add_field(prog_btf, "x", i32, 0, 0);
	btf__add_field(prog_btf, "lock", lock, PROBE_LOCK_OFF * 8, 0);
	btf__add_field(prog_btf, "timer", timer, PROBE_TIMER_OFF * 8, 0);
	if (btf__load_into_kernel(prog_btf)) {
		fprintf(stderr, "probe_protos: BTF load: %s\n", strerror(errno));
		btf__free(prog_btf);
		prog_btf = NULL;
		return;
	}
	o.btf_fd = (uint32_t)btf__fd(prog_btf);
	o.btf_key_type_id = (uint32_t)i32;
	o.btf_value_type_id = (uint32_t)val;
	btf_map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "probe_btf", 4, 24, 1, &o);
	if (btf_map_fd < 0)
		fprintf(stderr, "probe_protos: map with BTF: %s\n", strerror(errno));
}

/* Creates map_specs[m] (the BTF and map-in-map ones after setup_btf()). */
static int make_map(size_t m)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = map_specs[m].flags);

	if (map_specs[m].make == PM_OUTER)
		o.inner_map_fd = (uint32_t)map_fds[PROBE_ARRAY_MAP];
	if (map_specs[m].make == PM_BTF) {
		if (!prog_btf)
			return -1;
		o.btf_fd = (uint32_t)btf__fd(prog_btf);
		o.btf_key_type_id = (uint32_t)btf_int;
		o.btf_value_type_id = (uint32_t)btf_plain;
	}
	return bpf_map_create((enum bpf_map_type)map_specs[m].type, "probe", map_specs[m].key,
	                      map_specs[m].value, map_specs[m].max, &o);
}

int main(int argc, char **argv)
{
	struct probe_config sock = {.prog_type = CHECK_PROG_SOCKET_FILTER, .attach_type = -1};
	struct probe_prog p = {.n = 0};
	LIBBPF_OPTS(bpf_map_create_opts, ro_opts, .map_flags = BPF_F_RDONLY_PROG);
	struct utsname uts;
	uint32_t id;
	size_t m;

	emit(&p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	emit(&p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	if (load(&sock, &p, 1) < 0) {
		fprintf(stderr, "probe_protos: cannot load a socket filter (%s): skipping\n", msg);
		return 77;
	}
	vmlinux = btf__load_vmlinux_btf();
	if (libbpf_get_error(vmlinux))
		vmlinux = NULL;
	if (argc == 3 && !strcmp(argv[1], "--maps")) {
		maps_out = fopen(argv[2], "w");
		if (!maps_out) {
			fprintf(stderr, "probe_protos: %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: bpfcc_probe_protos [--maps FILE]\n");
		return 2;
	}
	for (m = 0; m < PROBE_NMAPS; m++)
		map_fds[m] = map_specs[m].make == PM_PLAIN ? make_map(m) : -1;
	ro_map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "probe_ro", 4, 256, 1, &ro_opts);
	setup_btf();
	for (m = 0; m < PROBE_NMAPS; m++) {
		if (map_specs[m].make != PM_PLAIN)
			map_fds[m] = make_map(m);
		if (map_fds[m] < 0)
			fprintf(stderr, "probe_protos: map type %u: %s\n", map_specs[m].type,
			        strerror(errno));
	}
	if (ro_map_fd >= 0 && bpf_map_freeze(ro_map_fd) < 0)
		fprintf(stderr, "probe_protos: freeze: %s\n", strerror(errno));
	uname(&uts);
	printf("kernel %s\n", uts.release);
	if (maps_out)
		fprintf(maps_out, "kernel %s\n", uts.release);
	for (id = 1; id <= CHECK_HELPER_MAX_ID; id++) {
		if (!helper_names[id])
			continue;
		switch (probe_helper(id, 0)) {
		case PV_SOCK:
			probe_helper(id, CHECK_HELPER_MAX_ID + 1);
			break;
		case PV_TASK:
			probe_helper(id, PROBE_HELPER_TASK_BTF);
			break;
		default:
			break;
		}
		fflush(stdout);
	}
	probe_sockmap_delete();
	probe_sleepable_maps();
	if (maps_out)
		fclose(maps_out);
	probe_uninit();
	btf__free(vmlinux);
	return 0;
}
