/*
 * probe_ctx.c - asks the running kernel, program by program, which context offsets a
 * program may read or write at which sizes, what a read yields, and which values r0 may
 * hold at exit; its output (ctx-<version>.txt) is the input of gen_ctx_tables.py, which
 * writes ../ctx_access.def and ../prog_return.def.
 *
 * The kernel decides a context access in check_mem_access() -> check_ctx_access(): the
 * program type's is_valid_access() callback answers for (offset, size, read/write), and a
 * refusal is "invalid bpf_context access off=%d size=%d".  Immediate stores (BPF_ST) are
 * probed apart from register stores because older kernels refused them into the context
 * whatever the offset (6.18 treats them as register stores).  When a field is
 * rewritten (skb->data, xdp->data_end, sk_ops->sk, ...) the callback also sets the type the
 * loaded register gets; the verifier's log_level 2 prints that state after the load
 * ("R2_w=pkt(r=0)"), and that text is what is recorded.  At exit check_return_code()
 * compares r0 with the program type's range ("At program exit the register R0 has ...
 * should have been in [lo, hi]").
 *
 * Each probe is a program of two to four instructions:
 *   read   r2 = *(uN *)(r1 + off); r0 = RET; exit
 *   write  r2 = 0; *(uN *)(r1 + off) = r2; r0 = RET; exit
 *   st     *(uN *)(r1 + off) = 0; r0 = RET; exit
 *   atomic r2 = 0; lock *(uN *)(r1 + off) += r2; r0 = RET; exit   (N = 32, 64 only)
 *   return r0 = V; exit   (V = -1..5, 7, 255, 1000000, 1 << 32, or an unknown scalar from
 *                          bpf_get_prandom_u32 / bpf_ktime_get_ns)
 * where RET is the first return value the program type accepts.  Offsets run from -64 to
 * the size of the type's context struct (vmlinux BTF) + 8, and on while anything was
 * accepted in the last 64 bytes, up to PROBE_OFF_CAP.
 *
 * The configurations probed are the (program type, expected attach type) pairs of the
 * section table (check/sections.def).  tp_btf and iter need a BTF target (sched_switch,
 * bpf_iter_task): their context rules hold for that target only.  A configuration whose
 * trivial load fails (fentry/fexit/fmod_ret/lsm/freplace under lockdown: EPERM before the
 * verifier runs; struct_ops without a struct_ops map) is reported as not probed.
 *
 * Output lines (mode: read, write, st or atomic; offset ranges: lo..hi inclusive, only offsets of
 * one alignment class, "aligned" = off % size == 0, "unaligned" = the others): kernel <uname -r>
 *   config <prog> <attach> <flags> <prog name> <attach name> <target|-> <ok|errno> <ret>
 *          <limit> <start> <ctx struct|-> <its BTF size|0>
 *          (offsets [start, limit) were probed)
 *   ret <prog> <attach> <value label> ok
 *   ret <prog> <attach> <value label> deny <errno> <message>
 *   acc <prog> <attach> <mode> <size> <aligned|unaligned> <lo> <hi> ok <state|->
 *   acc <prog> <attach> <mode> <size> <aligned|unaligned> <lo> <hi> deny <errno> <msg>
 * A deny message equal to "invalid bpf_context access off=<off> size=<size>" for every
 * offset of the range is written "ctx".
 *
 * Usage: bpfcc_probe_ctx > ctx-<version>.txt   (root or CAP_BPF + CAP_PERFMON +
 * CAP_NET_ADMIN; exit status 77 if the kernel refuses even a trivial socket filter).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "check/check.h"

#define PROBE_F_SLEEPABLE  (1u << 4) /* BPF_F_SLEEPABLE */
#define PROBE_F_XDP_FRAGS  (1u << 5) /* BPF_F_XDP_HAS_FRAGS */
#define PROBE_MAX_CONFIGS  128
#define PROBE_OFF_CAP      8256 /* 8192 (the tracepoint buffer) + a margin */
#define PROBE_MARGIN       64
#define PROBE_NEG          64 /* negative offsets probed: [-64, -1] */
#define PROBE_MSG_MAX      200
#define PROBE_HELPER_RAND  7 /* bpf_get_prandom_u32 */
#define PROBE_HELPER_KTIME 5 /* bpf_ktime_get_ns */

enum probe_mode { PROBE_READ, PROBE_WRITE, PROBE_ST, PROBE_ATOMIC, PROBE_MODES };
static const char *const mode_names[PROBE_MODES] = {"read", "write", "st", "atomic"};
static const int sizes[4] = {1, 2, 4, 8};
static const int size_codes[4] = {BPF_B, BPF_H, BPF_W, BPF_DW};

struct probe_config {
	uint32_t prog_type;
	int32_t attach_type;
	uint32_t flags;
	uint32_t attach_btf_id;
	const char *target;
	int32_t ret;
};

/* One probe's answer: accepted (with the loaded register's state) or refused. */
struct probe_answer {
	bool ok;
	int err;
	char text[PROBE_MSG_MAX]; /* state when ok ("-" if none), message when refused */
};

static const struct {
	uint32_t prog_type;
	int32_t attach_type;
	unsigned flags;
} section_rows[] = {
#define CHECK_SECTION(pat, match, prog, attach, target, fl)                                        \
	{CHECK_PROG_##prog, CHECK_ATTACH_##attach, (fl)},
#include "check/sections.def"
#undef CHECK_SECTION
};

static const char *const prog_names[CHECK_PROG_TYPE_COUNT] = {
#define CHECK_PROG_TYPE(name, id, str, maj, min) [id] = #name,
#include "check/prog_types.def"
#undef CHECK_PROG_TYPE
};

static const char *const attach_names[CHECK_ATTACH_TYPE_COUNT] = {
#define CHECK_ATTACH_TYPE(name, id, maj, min) [id] = #name,
#include "check/attach_types.def"
#undef CHECK_ATTACH_TYPE
};

/* The uapi context struct of each program type (its BTF size bounds the offsets probed). */
static const struct {
	uint32_t prog_type;
	const char *name;
	int size; /* used when the struct is not in BTF or has no fixed size */
} ctx_structs[] = {
    {CHECK_PROG_SOCKET_FILTER, "__sk_buff", 0},
    {CHECK_PROG_KPROBE, "pt_regs", 0},
    {CHECK_PROG_SCHED_CLS, "__sk_buff", 0},
    {CHECK_PROG_SCHED_ACT, "__sk_buff", 0},
    {CHECK_PROG_TRACEPOINT, NULL, 64},
    {CHECK_PROG_XDP, "xdp_md", 0},
    {CHECK_PROG_PERF_EVENT, "bpf_perf_event_data", 0},
    {CHECK_PROG_CGROUP_SKB, "__sk_buff", 0},
    {CHECK_PROG_CGROUP_SOCK, "bpf_sock", 0},
    {CHECK_PROG_LWT_IN, "__sk_buff", 0},
    {CHECK_PROG_LWT_OUT, "__sk_buff", 0},
    {CHECK_PROG_LWT_XMIT, "__sk_buff", 0},
    {CHECK_PROG_SOCK_OPS, "bpf_sock_ops", 0},
    {CHECK_PROG_SK_SKB, "__sk_buff", 0},
    {CHECK_PROG_CGROUP_DEVICE, "bpf_cgroup_dev_ctx", 0},
    {CHECK_PROG_SK_MSG, "sk_msg_md", 0},
    {CHECK_PROG_RAW_TRACEPOINT, NULL, 96},
    {CHECK_PROG_CGROUP_SOCK_ADDR, "bpf_sock_addr", 0},
    {CHECK_PROG_LWT_SEG6LOCAL, "__sk_buff", 0},
    {CHECK_PROG_LIRC_MODE2, NULL, 4},
    {CHECK_PROG_SK_REUSEPORT, "sk_reuseport_md", 0},
    {CHECK_PROG_FLOW_DISSECTOR, "__sk_buff", 0},
    {CHECK_PROG_CGROUP_SYSCTL, "bpf_sysctl", 0},
    {CHECK_PROG_RAW_TRACEPOINT_WRITABLE, NULL, 96},
    {CHECK_PROG_CGROUP_SOCKOPT, "bpf_sockopt", 0},
    {CHECK_PROG_TRACING, NULL, 96},
    {CHECK_PROG_SK_LOOKUP, "bpf_sk_lookup", 0},
    {CHECK_PROG_SYSCALL, NULL, 64},
    {CHECK_PROG_NETFILTER, "bpf_nf_ctx", 0},
};

static char log_buf[1 << 16];
static struct probe_config configs[PROBE_MAX_CONFIGS];
static size_t nconfigs;
static struct btf *vmlinux;

/* Loads `insns` for `c`; returns 0 or -errno, the verifier's log in log_buf. */
static int probe_load(const struct probe_config *c, const struct bpf_insn *insns, size_t n,
                      int log_level)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log_buf, .log_size = sizeof(log_buf),
	            .log_level = (uint32_t)log_level);
	int fd;

	opts.expected_attach_type = c->attach_type < 0 ? 0 : (enum bpf_attach_type)c->attach_type;
	opts.prog_flags = c->flags;
	opts.attach_btf_id = c->attach_btf_id;
	log_buf[0] = '\0';
	fd = bpf_prog_load((enum bpf_prog_type)c->prog_type, "probe", "GPL", insns, n, &opts);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static const struct {
	int32_t attach_type;
	const char *name;
	int kind;
} probe_targets[] = {
#define PROBE_TARGET(attach, name, kind) {CHECK_ATTACH_##attach, name, BTF_KIND_##kind},
#include "check/gen/probe_targets.def"
#undef PROBE_TARGET
};

/* BTF id of the vmlinux target a tracing program of this attach type is probed with
 * (probe_targets.def; *target its name). */
static uint32_t probe_btf_target(int32_t attach_type, const char **target)
{
	size_t i;
	int id;

	for (i = 0; i < sizeof(probe_targets) / sizeof(probe_targets[0]); i++) {
		if (probe_targets[i].attach_type != attach_type)
			continue;
		*target = probe_targets[i].name;
		if (!vmlinux)
			return 0;
		id = btf__find_by_name_kind(vmlinux, probe_targets[i].name, probe_targets[i].kind);
		return id > 0 ? (uint32_t)id : 0;
	}
	return 0;
}

/*
 * The uapi context struct of a program type (*name, NULL if it has none) and its BTF size
 * (0 if unknown); *fallback: where to start the offset probe when there is no size.
 */
static int probe_ctx_struct(uint32_t prog_type, const char **name, int *fallback)
{
	size_t i;
	int id;

	*name = NULL;
	*fallback = 64;
	for (i = 0; i < sizeof(ctx_structs) / sizeof(ctx_structs[0]); i++) {
		if (ctx_structs[i].prog_type != prog_type)
			continue;
		*name = ctx_structs[i].name;
		if (ctx_structs[i].size)
			*fallback = ctx_structs[i].size;
		if (!*name || !vmlinux)
			return 0;
		id = btf__find_by_name_kind(vmlinux, *name, BTF_KIND_STRUCT);
		return id > 0 ? (int)btf__type_by_id(vmlinux, (uint32_t)id)->size : 0;
	}
	return 0;
}

static void probe_add_config(uint32_t prog_type, int32_t attach_type, uint32_t flags)
{
	size_t i;

	for (i = 0; i < nconfigs; i++)
		if (configs[i].prog_type == prog_type && configs[i].attach_type == attach_type)
			return;
	if (nconfigs == PROBE_MAX_CONFIGS) {
		fprintf(stderr, "probe_ctx: too many configurations\n");
		exit(1);
	}
	configs[nconfigs] = (struct probe_config){
	    .prog_type = prog_type,
	    .attach_type = attach_type,
	    .flags = flags,
	};
	configs[nconfigs].attach_btf_id = probe_btf_target(attach_type, &configs[nconfigs].target);
	nconfigs++;
}

/* Copies the verifier's complaint (the first log line that is not an instruction, a state
 * or the statistics) into out. */
static void probe_message(char *out, size_t n)
{
	const char *line = log_buf;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *p = line;

		while (p < line + len && *p >= '0' && *p <= '9')
			p++;
		if (len && !(p > line && *p == ':') && strncmp(line, "processed ", 10) &&
		    strncmp(line, "verification time", 17) && strncmp(line, "stack depth", 11) &&
		    strncmp(line, "Func#", 5) && strncmp(line, "Live regs", 9) && line[0] != ' ' &&
		    line[0] != ';' && line[0] != '\t') {
			if (len >= n)
				len = n - 1;
			memcpy(out, line, len);
			out[len] = '\0';
			return;
		}
		if (!end)
			break;
		line = end + 1;
	}
	snprintf(out, n, "-");
}

/* Copies the state the log gives register `reg` first ("R2_w=pkt(r=0)" -> "pkt(r=0)"). */
static void probe_reg_state(int reg, char *out, size_t n)
{
	char key[8], key_w[8];
	const char *p;
	size_t len = 0;
	int depth = 0;

	snprintf(key, sizeof(key), " R%d=", reg);
	snprintf(key_w, sizeof(key_w), " R%d_w=", reg);
	p = strstr(log_buf, key_w);
	if (p)
		p += strlen(key_w);
	else if ((p = strstr(log_buf, key)))
		p += strlen(key);
	if (!p) {
		snprintf(out, n, "-");
		return;
	}
	while (p[len] && p[len] != '\n' && (depth > 0 || p[len] != ' ')) {
		if (p[len] == '(')
			depth++;
		else if (p[len] == ')')
			depth--;
		len++;
	}
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

static struct bpf_insn insn_mov_imm(int dst, int32_t imm)
{
	return (struct bpf_insn){
	    .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = (uint8_t)dst, .imm = imm};
}

static struct bpf_insn insn_exit(void)
{
	return (struct bpf_insn){.code = BPF_JMP | BPF_EXIT};
}

/* One context access probe. */
static void probe_access(const struct probe_config *c, enum probe_mode mode, int si, int off,
                         struct probe_answer *a)
{
	struct bpf_insn insns[4];
	uint8_t sz = (uint8_t)size_codes[si];
	size_t n = 0;
	int err;

	switch (mode) {
	case PROBE_READ:
		insns[n++] = (struct bpf_insn){.code = BPF_LDX | BPF_MEM | sz,
		                               .dst_reg = 2,
		                               .src_reg = 1,
		                               .off = (int16_t)off};
		break;
	case PROBE_WRITE:
		insns[n++] = insn_mov_imm(2, 0);
		insns[n++] = (struct bpf_insn){.code = BPF_STX | BPF_MEM | sz,
		                               .dst_reg = 1,
		                               .src_reg = 2,
		                               .off = (int16_t)off};
		break;
	case PROBE_ST:
		insns[n++] = (struct bpf_insn){
		    .code = BPF_ST | BPF_MEM | sz, .dst_reg = 1, .off = (int16_t)off, .imm = 0};
		break;
	default:
		insns[n++] = insn_mov_imm(2, 0);
		insns[n++] = (struct bpf_insn){.code = BPF_STX | BPF_ATOMIC | sz,
		                               .dst_reg = 1,
		                               .src_reg = 2,
		                               .off = (int16_t)off,
		                               .imm = BPF_ADD};
		break;
	}
	insns[n++] = insn_mov_imm(0, c->ret);
	insns[n++] = insn_exit();
	err = probe_load(c, insns, n, mode == PROBE_READ ? 2 : 1);
	if (err && mode == PROBE_READ)
		probe_load(c, insns, n, 1); /* the complaint without the state lines */
	a->ok = err == 0;
	a->err = -err;
	if (a->ok && mode == PROBE_READ)
		probe_reg_state(2, a->text, sizeof(a->text));
	else if (a->ok)
		snprintf(a->text, sizeof(a->text), "-");
	else
		probe_message(a->text, sizeof(a->text));
	if (!a->ok) {
		char std[PROBE_MSG_MAX];

		snprintf(std, sizeof(std), "invalid bpf_context access off=%d size=%d", off,
		         sizes[si]);
		if (!strcmp(a->text, std))
			snprintf(a->text, sizeof(a->text), "ctx");
	}
}

static const char *errno_name(int err)
{
	const char *s = strerrorname_np(err);

	static char buf[32];

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "errno-%d", err); /* e.g. the kernel's ENOTSUPP, 524 */
	return buf;
}

static bool answer_same(const struct probe_answer *x, const struct probe_answer *y)
{
	return x->ok == y->ok && x->err == y->err && !strcmp(x->text, y->text);
}

static void print_run(const struct probe_config *c, enum probe_mode mode, int si, bool aligned,
                      int lo, int hi, const struct probe_answer *a)
{
	printf("acc %u %d %s %d %s %d %d ", c->prog_type, c->attach_type, mode_names[mode],
	       sizes[si], aligned ? "aligned" : "unaligned", lo, hi);
	if (a->ok)
		printf("ok %s\n", a->text);
	else
		printf("deny %s %s\n", errno_name(a->err), a->text);
}

/*
 * Probes every (mode, size) at offsets [-PROBE_NEG, limit) and prints run-length ranges
 * per alignment class.  The limit grows while accesses near it are accepted.
 */
static int probe_config_access(const struct probe_config *c, int limit)
{
	static struct probe_answer ans[PROBE_MODES][4][PROBE_NEG + PROBE_OFF_CAP];
	int off, mode, si;

	for (off = -PROBE_NEG; off < limit; off++)
		for (mode = 0; mode < PROBE_MODES; mode++)
			for (si = mode == PROBE_ATOMIC ? 2 : 0; si < 4; si++) {
				struct probe_answer *a = &ans[mode][si][off + PROBE_NEG];

				probe_access(c, (enum probe_mode)mode, si, off, a);
				if (a->ok && off + PROBE_MARGIN > limit)
					limit = off + PROBE_MARGIN > PROBE_OFF_CAP
					            ? PROBE_OFF_CAP
					            : off + PROBE_MARGIN;
			}
	for (mode = 0; mode < PROBE_MODES; mode++)
		for (si = mode == PROBE_ATOMIC ? 2 : 0; si < 4; si++)
			for (int cls = 1; cls >= 0; cls--) {
				const struct probe_answer *run = NULL, *a;
				int start = 0, prev = 0;

				for (off = -PROBE_NEG; off < limit; off++) {
					if ((off % sizes[si] == 0) != cls)
						continue;
					a = &ans[mode][si][off + PROBE_NEG];
					if (run && !answer_same(run, a)) {
						print_run(c, (enum probe_mode)mode, si, cls, start,
						          prev, run);
						run = NULL;
					}
					if (!run) {
						run = a;
						start = off;
					}
					prev = off;
				}
				if (run)
					print_run(c, (enum probe_mode)mode, si, cls, start, prev,
					          run);
			}
	return limit;
}

/* Return values; fills c->ret with the first accepted constant (0 if none). */
static void probe_config_return(struct probe_config *c)
{
	static const struct {
		const char *label;
		int64_t value;
		int helper; /* nonzero: r0 comes from this helper (an unknown scalar) */
	} values[] = {
	    {"0", 0, 0},
	    {"1", 1, 0},
	    {"-1", -1, 0},
	    {"2", 2, 0},
	    {"3", 3, 0},
	    {"4", 4, 0},
	    {"5", 5, 0},
	    {"7", 7, 0},
	    {"255", 255, 0},
	    {"1000000", 1000000, 0},
	    {"0x100000000", 0x100000000LL, 0},
	    {"unknown_u32", 0, PROBE_HELPER_RAND},
	    {"unknown_u64", 0, PROBE_HELPER_KTIME},
	};
	bool have_ret = false;
	size_t i;

	c->ret = 0;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct bpf_insn insns[3];
		char msg[PROBE_MSG_MAX];
		size_t n = 0;
		int err;

		if (values[i].helper) {
			insns[n++] =
			    (struct bpf_insn){.code = BPF_JMP | BPF_CALL, .imm = values[i].helper};
		} else if (values[i].value != (int32_t)values[i].value) {
			insns[n++] = (struct bpf_insn){.code = BPF_LD | BPF_DW | BPF_IMM,
			                               .imm = (int32_t)(uint32_t)values[i].value};
			insns[n++] = (struct bpf_insn){
			    .imm = (int32_t)(uint32_t)((uint64_t)values[i].value >> 32)};
		} else {
			insns[n++] = insn_mov_imm(0, (int32_t)values[i].value);
		}
		insns[n++] = insn_exit();
		err = probe_load(c, insns, n, 1);
		if (err == 0) {
			printf("ret %u %d %s ok\n", c->prog_type, c->attach_type, values[i].label);
			if (!have_ret && !values[i].helper &&
			    values[i].value == (int32_t)values[i].value) {
				c->ret = (int32_t)values[i].value;
				have_ret = true;
			}
			continue;
		}
		probe_message(msg, sizeof(msg));
		printf("ret %u %d %s deny %s %s\n", c->prog_type, c->attach_type, values[i].label,
		       errno_name(-err), msg);
	}
}

int main(void)
{
	struct bpf_insn ret0[2] = {insn_mov_imm(0, 0), insn_exit()};
	struct probe_config sock = {.prog_type = CHECK_PROG_SOCKET_FILTER, .attach_type = -1};
	struct utsname uts;
	size_t i;

	if (probe_load(&sock, ret0, 2, 1) < 0) {
		fprintf(stderr, "probe_ctx: cannot load a socket filter (%s): skipping\n",
		        strerror(errno));
		return 77;
	}
	vmlinux = btf__load_vmlinux_btf();
	if (libbpf_get_error(vmlinux))
		vmlinux = NULL;
	uname(&uts);
	printf("kernel %s\n", uts.release);

	for (i = 0; i < sizeof(section_rows) / sizeof(section_rows[0]); i++) {
		uint32_t fl = 0;

		if (section_rows[i].flags & CHECK_SEC_SLEEPABLE)
			fl |= PROBE_F_SLEEPABLE;
		if (section_rows[i].flags & CHECK_SEC_XDP_FRAGS)
			fl |= PROBE_F_XDP_FRAGS;
		probe_add_config(section_rows[i].prog_type, section_rows[i].attach_type, fl);
	}

	for (i = 0; i < nconfigs; i++) {
		struct probe_config *c = &configs[i];
		const char *an = c->attach_type < 0 ? "NONE" : attach_names[c->attach_type];
		const char *pn = prog_names[c->prog_type];
		int err, limit, ctx_size, fallback;
		const char *ctx_name;

		ctx_size = probe_ctx_struct(c->prog_type, &ctx_name, &fallback);
		/* Loadable at all?  r0 = 0 or r0 = 1 (hooks whose range is [1, 1]). */
		c->ret = 0;
		err = probe_load(c, ret0, 2, 1);
		if (err) {
			c->ret = 1;
			ret0[0].imm = 1;
			if (probe_load(c, ret0, 2, 1) == 0)
				err = 0;
			ret0[0].imm = 0;
		}
		if (err) {
			printf("config %u %d %u %s %s %s %s 0 0 0 %s %d\n", c->prog_type,
			       c->attach_type, c->flags, pn, an, c->target ? c->target : "-",
			       errno_name(-err), ctx_name ? ctx_name : "-", ctx_size);
			continue;
		}
		probe_config_return(c);
		limit = (ctx_size ? ctx_size : fallback) + 8;
		if (limit > PROBE_OFF_CAP)
			limit = PROBE_OFF_CAP;
		limit = probe_config_access(c, limit);
		printf("config %u %d %u %s %s %s ok %d %d %d %s %d\n", c->prog_type, c->attach_type,
		       c->flags, pn, an, c->target ? c->target : "-", c->ret, limit, -PROBE_NEG,
		       ctx_name ? ctx_name : "-", ctx_size);
		fflush(stdout);
	}
	btf__free(vmlinux);
	return 0;
}
