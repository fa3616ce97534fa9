/*
 * probe_kfuncs.c - asks the running kernel which program types may call each kfunc; its
 * output is ../kfunc_prog.def, checked in as it came out.
 *
 * The kernel registers kfuncs per hook (register_btf_kfunc_id_set(BPF_PROG_TYPE_X, set)),
 * one hook per program type or group of them, and a set may add a filter that looks at
 * the program (its attach type, whether it is sleepable).  None of that is in BTF.  At a
 * kfunc call the verifier asks btf_kfunc_id_set_contains() and, when the kfunc is not
 * there for the program, refuses it: "calling kernel function %s is not allowed"
 * (fetch_kfunc_meta() -> check_kfunc_call(), before any argument is looked at).
 *
 * For every kfunc of vmlinux BTF (a FUNC with the decl tag "bpf_kfunc") and every
 * (program type, expected attach type) pair of the section table (check/sections.def, the
 * flags of the first section naming the pair: BPF_F_SLEEPABLE for ".s" ones) the probe is
 *     r1 = 0 ... r5 = 0; call <kfunc>; r0 = RET; exit
 * RET being what the pair's trivial program returns.  The answer is '-' when the log
 * says the kfunc is not allowed, '+' for anything else (accepted, or refused later for its
 * arguments), '.' when the pair cannot be probed at all (its trivial program does not
 * load: fentry/fexit/fmod_ret/lsm/freplace under lockdown fail with EPERM before the
 * verifier runs, struct_ops needs its map).  tp_btf and iter need a BTF target
 * (btf_trace_sched_switch, bpf_iter_task).
 *
 * Output (a .def file, included by ../kfunc_prog.c):
 *   KFUNC_PROG_KERNEL("<uname -r>")
 *   KFUNC_PROG_CONFIG(<prog type>, <attach type or -1>, <load flags>, "<PROG>", "<ATTACH>",
 *                     <probed 0|1>)
 *   KFUNC_PROG(<kfunc>, "<one answer per config, in config order>")
 *
 * Usage: bpfcc_probe_kfuncs > compiler/verifier/kfunc_prog.def (root, or CAP_BPF +
 * CAP_PERFMON + CAP_NET_ADMIN; a few seconds; exit status 77 if the kernel refuses even a
 * trivial socket filter).
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

#define PROBE_F_SLEEPABLE (1u << 4) /* BPF_F_SLEEPABLE */
#define PROBE_F_XDP_FRAGS (1u << 5) /* BPF_F_XDP_HAS_FRAGS */
#define PROBE_MAX_CONFIGS 128
#define PROBE_MAX_KFUNCS  4096

struct probe_config {
	uint32_t prog_type;
	int32_t attach_type;
	uint32_t flags;
	uint32_t attach_btf_id;
	int32_t ret;
	bool probed;
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

static char log_buf[1 << 16];
static struct probe_config configs[PROBE_MAX_CONFIGS];
static size_t nconfigs;
static struct btf *vmlinux;

/* Loads `insns` for `c`; returns 0 or -errno, the verifier's log in log_buf. */
static int probe_load(const struct probe_config *c, const struct bpf_insn *insns, size_t n)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log_buf, .log_size = sizeof(log_buf),
	            .log_level = 1);
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
 * (probe_targets.def; 0: none). */
static uint32_t probe_btf_target(int32_t attach_type)
{
	size_t i;
	int id;

	for (i = 0; vmlinux && i < sizeof(probe_targets) / sizeof(probe_targets[0]); i++) {
		if (probe_targets[i].attach_type != attach_type)
			continue;
		id = btf__find_by_name_kind(vmlinux, probe_targets[i].name, probe_targets[i].kind);
		return id > 0 ? (uint32_t)id : 0;
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
		fprintf(stderr, "probe_kfuncs: too many configurations\n");
		exit(1);
	}
	configs[nconfigs] = (struct probe_config){
	    .prog_type = prog_type,
	    .attach_type = attach_type,
	    .flags = flags,
	    .attach_btf_id = probe_btf_target(attach_type),
	};
	nconfigs++;
}

static struct bpf_insn insn_mov_imm(int dst, int32_t imm)
{
	return (struct bpf_insn){
	    .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = (uint8_t)dst, .imm = imm};
}

/* Can the configuration load at all (r0 = 0, else r0 = 1)?  Sets c->ret. */
static bool probe_loadable(struct probe_config *c)
{
	struct bpf_insn prog[2] = {insn_mov_imm(0, 0), {.code = BPF_JMP | BPF_EXIT}};

	c->ret = 0;
	if (probe_load(c, prog, 2) == 0)
		return true;
	c->ret = 1;
	prog[0].imm = 1;
	return probe_load(c, prog, 2) == 0;
}

/* '-' when the kernel says the kfunc is not allowed for the configuration, '+' otherwise. */
static char probe_kfunc(const struct probe_config *c, uint32_t func_id, const char *name)
{
	struct bpf_insn prog[9];
	char needle[160];
	int i, n = 0;

	for (i = 1; i <= 5; i++)
		prog[n++] = insn_mov_imm(i, 0);
	prog[n++] = (struct bpf_insn){
	    .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_KFUNC_CALL, .imm = (int32_t)func_id};
	prog[n++] = insn_mov_imm(0, c->ret);
	prog[n++] = (struct bpf_insn){.code = BPF_JMP | BPF_EXIT};
	if (probe_load(c, prog, (size_t)n) == 0)
		return '+';
	snprintf(needle, sizeof(needle), "calling kernel function %s is not allowed", name);
	return strstr(log_buf, needle) ? '-' : '+';
}

/* The kfuncs of vmlinux BTF: FUNCs carrying the decl tag "bpf_kfunc", in id order. */
static size_t find_kfuncs(uint32_t *ids, size_t max)
{
	uint32_t i, n = btf__type_cnt(vmlinux);
	size_t k = 0, a, b;

	for (i = 1; i < n && k < max; i++) {
		const struct btf_type *t = btf__type_by_id(vmlinux, i);
		const struct btf_type *f;
		const char *tag;

		if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1)
			continue;
		tag = btf__name_by_offset(vmlinux, t->name_off);
		f = btf__type_by_id(vmlinux, t->type);
		if (tag && strcmp(tag, "bpf_kfunc") == 0 && f && btf_is_func(f))
			ids[k++] = t->type;
	}
	/* sort and drop duplicates */
	for (a = 1; a < k; a++)
		for (b = a; b > 0 && ids[b - 1] > ids[b]; b--) {
			uint32_t x = ids[b];

			ids[b] = ids[b - 1];
			ids[b - 1] = x;
		}
	for (a = 0, b = 0; a < k; a++)
		if (!b || ids[b - 1] != ids[a])
			ids[b++] = ids[a];
	return b;
}

int main(void)
{
	static uint32_t kfuncs[PROBE_MAX_KFUNCS];
	struct probe_config sock = {.prog_type = CHECK_PROG_SOCKET_FILTER, .attach_type = -1};
	char answers[PROBE_MAX_CONFIGS + 1];
	struct utsname uts;
	size_t i, k, nk;

	if (!probe_loadable(&sock)) {
		fprintf(stderr, "probe_kfuncs: cannot load a socket filter (%s): skipping\n",
		        strerror(errno));
		return 77;
	}
	vmlinux = btf__load_vmlinux_btf();
	if (libbpf_get_error(vmlinux)) {
		fprintf(stderr, "probe_kfuncs: no vmlinux BTF: skipping\n");
		return 77;
	}
	for (i = 0; i < sizeof(section_rows) / sizeof(section_rows[0]); i++)
		probe_add_config(
		    section_rows[i].prog_type, section_rows[i].attach_type,
		    (section_rows[i].flags & CHECK_SEC_SLEEPABLE ? PROBE_F_SLEEPABLE : 0) |
		        (section_rows[i].flags & CHECK_SEC_XDP_FRAGS ? PROBE_F_XDP_FRAGS : 0));
	nk = find_kfuncs(kfuncs, PROBE_MAX_KFUNCS);
	uname(&uts);
	printf("/*\n * kfunc_prog.def - which program types may call each kfunc, as the running "
	       "kernel\n * answered (generated by gen/probe_kfuncs.c; do not edit, see "
	       "gen/README-kfuncs.md).\n * '+' allowed, '-' \"calling kernel function %%s is not "
	       "allowed\", '.' not probed.\n */\n");
	printf("KFUNC_PROG_KERNEL(\"%s\")\n", uts.release);
	for (i = 0; i < nconfigs; i++) {
		struct probe_config *c = &configs[i];

		c->probed = probe_loadable(c);
		printf("KFUNC_PROG_CONFIG(%u, %d, %u, \"%s\", \"%s\", %d)\n", c->prog_type,
		       c->attach_type, c->flags, prog_names[c->prog_type],
		       c->attach_type < 0 ? "NONE" : attach_names[c->attach_type], c->probed);
	}
	for (k = 0; k < nk; k++) {
		const struct btf_type *f = btf__type_by_id(vmlinux, kfuncs[k]);
		const char *name = btf__name_by_offset(vmlinux, f->name_off);

		for (i = 0; i < nconfigs; i++)
			answers[i] =
			    configs[i].probed ? probe_kfunc(&configs[i], kfuncs[k], name) : '.';
		answers[nconfigs] = '\0';
		printf("KFUNC_PROG(%s, \"%s\")\n", name, answers);
		fflush(stdout);
	}
	btf__free(vmlinux);
	return 0;
}
