/*
 * probe_helpers.c - asks the running kernel which helpers each program type may call and
 * which helpers are GPL-only; its output is the input of gen_tables.py (helpers.def,
 * helper_allow.def).
 *
 * The kernel's check_helper_call() decides in a fixed order before it looks at any
 * argument: an id past the last helper is "invalid func", a helper the program type's
 * get_func_proto() does not offer is "program of this type cannot use helper", and a
 * gpl_only helper in a program whose license is not GPL-compatible is "cannot call
 * GPL-restricted function from non-GPL compatible program".  So a three-instruction
 * program `call <id>; r0 = 0; exit` answers both questions from the verifier log.
 *
 * The (program type, attach type, flags) combinations probed are those of the section table
 * (../sections.def), i.e. those libbpf loads.  Tracing programs need a BTF target: tp_btf
 * and iter use a vmlinux target found by name; the others (fentry/fexit/fmod_ret, lsm,
 * freplace, struct_ops) are reported with the errno of a trivial load, and gen_tables.py
 * falls back to eBPF-Docs for them.
 *
 * Output lines:
 *   kernel <uname -r>
 *   config <prog type> <attach type or -1> <prog flags> <ok | errno name>
 *   allow <prog type> <attach type> <prog flags> <helper id> <0|1>
 *   gpl <helper id> <0|1>
 *
 * Usage: bpfcc_probe_helpers > probe-<version>.txt   (root or CAP_BPF + CAP_PERFMON +
 * CAP_NET_ADMIN needed; exit status 77 if the kernel refuses even a trivial socket filter).
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

/* r0 = 0; exit; call <helper> (the uapi has no instruction macros). */
#define PROBE_MOV_R0_0                                                                             \
	{                                                                                          \
		.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0                        \
	}
#define PROBE_RET_SLOT 0 /* index of the mov in trivial[]; 1 in call[] */
#define PROBE_EXIT                                                                                 \
	{                                                                                          \
		.code = BPF_JMP | BPF_EXIT                                                         \
	}
#define PROBE_CALL(id)                                                                             \
	{                                                                                          \
		.code = BPF_JMP | BPF_CALL, .imm = (id)                                            \
	}

struct probe_config {
	uint32_t prog_type;
	int32_t attach_type;
	uint32_t flags;
	uint32_t attach_btf_id;
	int32_t ret; /* the value r0 must have at exit (some cgroup hooks demand 1) */
	bool ok;
	int err;
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

static char log_buf[1 << 16];
static struct probe_config configs[PROBE_MAX_CONFIGS];
static size_t nconfigs;
static struct btf *vmlinux;

/* Loads `insns` for `c`; returns the fd or -errno, the verifier's log in log_buf. */
static int probe_load(const struct probe_config *c, const struct bpf_insn *insns, size_t n,
                      const char *license)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log_buf, .log_size = sizeof(log_buf),
	            .log_level = 1);
	int fd;

	opts.expected_attach_type = c->attach_type < 0 ? 0 : (enum bpf_attach_type)c->attach_type;
	opts.prog_flags = c->flags;
	opts.attach_btf_id = c->attach_btf_id;
	log_buf[0] = '\0';
	fd = bpf_prog_load((enum bpf_prog_type)c->prog_type, "probe", license, insns, n, &opts);
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
		if (configs[i].prog_type == prog_type && configs[i].attach_type == attach_type &&
		    configs[i].flags == flags)
			return;
	if (nconfigs == PROBE_MAX_CONFIGS) {
		fprintf(stderr, "probe_helpers: too many configurations\n");
		exit(1);
	}
	configs[nconfigs++] = (struct probe_config){
	    .prog_type = prog_type,
	    .attach_type = attach_type,
	    .flags = flags,
	    .attach_btf_id = probe_btf_target(attach_type),
	};
}

/*
 * 1 if the log says the helper is available to this program, 0 if not.  A helper that
 * might sleep is refused in a non-sleepable program ("helper call might sleep in a
 * non-sleepable prog"): not available there.  Any later complaint (about arguments, or
 * "helper call is not allowed in probe" for helpers limited to some attach targets)
 * means the program type passed.
 */
static int probe_classify(void)
{
	if (strstr(log_buf, "program of this type cannot use helper") ||
	    strstr(log_buf, "invalid func") || strstr(log_buf, "unknown func") ||
	    strstr(log_buf, "helper call might sleep in a non-sleepable prog"))
		return 0;
	return 1;
}

int main(void)
{
	struct bpf_insn trivial[] = {PROBE_MOV_R0_0, PROBE_EXIT};
	struct bpf_insn call[] = {PROBE_CALL(0), PROBE_MOV_R0_0, PROBE_EXIT};
	static int8_t allowed[PROBE_MAX_CONFIGS][CHECK_HELPER_MAX_ID + 1];
	const struct bpf_insn ret0[] = {PROBE_MOV_R0_0, PROBE_EXIT};
	struct probe_config sock = {.prog_type = CHECK_PROG_SOCKET_FILTER, .attach_type = -1};
	struct utsname uts;
	uint32_t id;
	size_t i;

	if (probe_load(&sock, ret0, 2, "GPL") < 0) {
		fprintf(stderr, "probe_helpers: cannot load a socket filter (%s): skipping\n",
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
		int err;

		/* r0 = 0 first; hooks whose return range is [1, 1] refuse it with EINVAL. */
		trivial[PROBE_RET_SLOT].imm = c->ret = 0;
		err = probe_load(c, trivial, 2, "GPL");
		if (err == -EINVAL) {
			trivial[PROBE_RET_SLOT].imm = 1;
			if (probe_load(c, trivial, 2, "GPL") == 0) {
				c->ret = 1;
				err = 0;
			}
		}
		c->ok = err == 0;
		c->err = -err;
		printf("config %u %d %u %s\n", c->prog_type, c->attach_type, c->flags,
		       c->ok                     ? "ok"
		       : strerrorname_np(c->err) ? strerrorname_np(c->err)
		                                 : "unnamed-errno");
		if (!c->ok)
			continue;
		for (id = 1; id <= CHECK_HELPER_MAX_ID; id++) {
			call[0].imm = (int32_t)id;
			call[1].imm = c->ret;
			probe_load(c, call, 3, "GPL");
			allowed[i][id] = (int8_t)probe_classify();
			printf("allow %u %d %u %u %d\n", c->prog_type, c->attach_type, c->flags, id,
			       allowed[i][id]);
		}
	}

	/* gpl_only: one non-GPL load per helper, in the first configuration that offers it. */
	for (id = 1; id <= CHECK_HELPER_MAX_ID; id++) {
		for (i = 0; i < nconfigs; i++)
			if (configs[i].ok && allowed[i][id])
				break;
		if (i == nconfigs)
			continue;
		call[0].imm = (int32_t)id;
		call[1].imm = configs[i].ret;
		probe_load(&configs[i], call, 3, "Proprietary");
		printf("gpl %u %d\n", id,
		       strstr(log_buf, "cannot call GPL-restricted function") != NULL);
	}
	btf__free(vmlinux);
	return 0;
}
