/*
 * test_protos_kernel.c - re-asks the live kernel a deterministic sample of the questions
 * behind compiler/verifier/helper_protos.def and checks it still gives the recorded answers.
 *
 * The kernel's check_func_arg() refuses a register whose type is not among the argument
 * kind's compatible types with "R<n> type=<t> expected=<list>", the list being every
 * compatible type.  For every third helper id, in the program type the table says it was
 * probed with, and for every argument whose accepted list the kernel gave, this test
 * builds the arguments before it from the table's kinds (context, a map, an initialised
 * stack buffer, a constant size, zero), passes a wrong kind in that argument (a stack
 * pointer where only a scalar is accepted, the constant 8 elsewhere) and compares the
 * kernel's list with vrf_helper_arg.accepts.  It also checks that an argument the table
 * calls unused is not read (no "R<n> !read_ok" with the register unset), and, when every
 * argument can be built, that r0's type after the call (check_helper_call() sets it from
 * the return kind) is the one recorded in vrf_helper_proto.ret.r0.
 *
 * Needs the right to load BPF programs and the kernel the table was generated on (same
 * major.minor); otherwise it exits 77 (ctest's skip) and says why.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "verifier/helper_proto.h"

#define MAX_INSNS    96
#define MAX_REPORTS  20
#define SAMPLE_EVERY 3
#define MIN_COMPARED 60 /* the sample must really compare this many lists */
#define MIN_RETS     30 /* ... and this many return types */
#define MIN_WRITES   15 /* ... and this many buffers written or not */
#define KERNEL_VER   "6.18"

enum val { V_UNSET, V_CTX, V_MAP, V_FP, V_SCALAR8, V_ZERO, V_RO };

struct prog {
	struct bpf_insn insns[MAX_INSNS];
	size_t n;
};

static char logbuf[1 << 16];
static int map_fd = -1;
static int ro_fd = -1; /* array, BPF_F_RDONLY_PROG, frozen: the program may only read it */
static unsigned n_write_compared;
static unsigned n_compared, n_unused_checked, n_ret_compared, n_mismatch;

static struct bpf_insn mk(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = {.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
	return i;
}

static void emit(struct prog *p, struct bpf_insn i)
{
	ck_assert_uint_lt(p->n, MAX_INSNS);
	p->insns[p->n++] = i;
}

/* r6 = ctx; fp-256..-1 zeroed; a subprogram call clobbers r1..r5; the arguments; the call;
 * r0 = ret; exit; the subprogram: r0 = 0; exit. */
static void build(struct prog *p, uint32_t id, const enum val *vals, int32_t ret)
{
	size_t call_at;
	int k;

	p->n = 0;
	emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0));
	for (k = 1; k <= 32; k++)
		emit(p, mk(BPF_ST | BPF_MEM | BPF_DW, 10, 0, (int16_t)(-8 * k), 0));
	call_at = p->n;
	emit(p, mk(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0));
	for (k = 0; k < VRF_HELPER_NARGS; k++) {
		uint8_t r = (uint8_t)(k + 1);

		switch (vals[k]) {
		case V_UNSET:
			break;
		case V_CTX:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 6, 0, 0));
			break;
		case V_MAP:
			emit(p, mk(BPF_LD | BPF_DW | BPF_IMM, r, BPF_PSEUDO_MAP_FD, 0, map_fd));
			emit(p, mk(0, 0, 0, 0, 0));
			break;
		case V_FP:
			emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_X, r, 10, 0, 0));
			emit(p, mk(BPF_ALU64 | BPF_ADD | BPF_K, r, 0, 0, -256));
			break;
		case V_RO:
			emit(p, mk(BPF_LD | BPF_DW | BPF_IMM, r, BPF_PSEUDO_MAP_VALUE, 0, ro_fd));
			emit(p, mk(0, 0, 0, 0, 0));
			break;
		case V_SCALAR8:
		case V_ZERO:
			emit(p,
			     mk(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, vals[k] == V_ZERO ? 0 : 8));
			break;
		}
	}
	emit(p, mk(BPF_JMP | BPF_CALL, 0, 0, 0, (int32_t)id));
	emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, ret));
	emit(p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	p->insns[call_at].imm = (int32_t)(p->n - call_at - 1);
	emit(p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	emit(p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

static int load_level(const struct vrf_helper_proto *h, const struct prog *p, uint32_t level)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = logbuf, .log_size = sizeof(logbuf),
	            .log_level = level);
	int fd;

	opts.expected_attach_type = h->probe_attach < 0 ? 0 : (enum bpf_attach_type)h->probe_attach;
	opts.prog_flags = h->probe_flags;
	logbuf[0] = '\0';
	fd = bpf_prog_load((enum bpf_prog_type)h->probe_prog, "protos_test", "GPL", p->insns, p->n,
	                   &opts);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int load(const struct vrf_helper_proto *h, const struct prog *p)
{
	return load_level(h, p, 1);
}

/* The value that passes an argument of this kind, or -1 if the test cannot build one. */
static int good_value(const struct vrf_helper_arg *a)
{
	switch (a->kind) {
	case VRF_ARG_PTR_TO_CTX:
		return V_CTX;
	case VRF_ARG_CONST_MAP_PTR:
		return V_MAP;
	case VRF_ARG_PTR_TO_MAP_KEY:
	case VRF_ARG_PTR_TO_MAP_VALUE:
		return V_FP;
	case VRF_ARG_PTR_TO_MEM:
		return (a->flags & VRF_ARGF_MEM_FIXED_SIZE) && a->size > 256 ? -1 : V_FP;
	case VRF_ARG_CONST_SIZE:
	case VRF_ARG_CONST_SIZE_OR_ZERO:
	case VRF_ARG_CONST_ALLOC_SIZE_OR_ZERO:
		return V_SCALAR8;
	case VRF_ARG_ANYTHING:
		return V_ZERO;
	default:
		return -1;
	}
}

/* The r0 value the program type accepts at exit: 0, else 1 (some cgroup hooks). */
static int32_t exit_value(const struct vrf_helper_proto *h)
{
	struct prog p = {.n = 0};

	emit(&p, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	emit(&p, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	if (load(h, &p) == 0)
		return 0;
	p.insns[0].imm = 1;
	return load(h, &p) == 0 ? 1 : -1;
}

static void report(const struct vrf_helper_proto *h, unsigned n, const char *what)
{
	n_mismatch++;
	if (n_mismatch <= MAX_REPORTS)
		printf("mismatch %s#%u %s%u: %s\n", h->name, h->id,
		       n < VRF_HELPER_NARGS ? "arg" : "ret", n < VRF_HELPER_NARGS ? n + 1 : 0,
		       what);
}

/* The kernel's list after "expected=" on the line naming R<n>. */
static const char *kernel_list(unsigned regno, char *out, size_t size)
{
	char tag[32];
	const char *s, *e;

	snprintf(tag, sizeof(tag), "R%u type=", regno);
	s = strstr(logbuf, tag);
	if (!s || !(s = strstr(s, "expected=")))
		return NULL;
	s += strlen("expected=");
	e = strchr(s, '\n');
	if (!e)
		e = s + strlen(s);
	snprintf(out, size, "%.*s", (int)(e - s), s);
	return out;
}

/*
 * All arguments built from the table: r0's type after the call (log level 2, the call's
 * line "; R0=<type>(...)") must be the type the table recorded.  Not counted when the
 * call is not reached (a map of another type needed, say).
 */
static void check_ret(const struct vrf_helper_proto *h, const enum val *vals, int32_t ret)
{
	char tag[32], want[128];
	const char *line, *r0, *end;
	struct prog p;
	size_t len;

	if (h->ret.src != VRF_PROTO_PROBE || !h->ret.r0[0])
		return;
	build(&p, h->id, vals, ret);
	load_level(h, &p, 2);
	snprintf(tag, sizeof(tag), "#%u", h->id);
	for (line = strstr(logbuf, ") call "); line; line = strstr(line + 1, ") call ")) {
		end = strchr(line, '\n');
		const char *bol = line;

		while (bol > logbuf && bol[-1] != '\n')
			bol--;
		if (!end || !strstr(line, tag) || strstr(line, tag) > end || *bol == ' ')
			continue; /* another call, or the indented instruction listing */
		r0 = strstr(line, "; R0=");
		if (!r0 || r0 > end) {
			/* Precision marking came first: r0 is on the next state line. */
			for (line = end + 1; !strncmp(line, "mark_precise", 12);)
				line = strchr(line, '\n') ? strchr(line, '\n') + 1
				                          : line + strlen(line);
			/* Only a state line ("NN: R0=..."), not the next instruction's. */
			len = strspn(line, "0123456789");
			if (!len || strncmp(line + len, ": R0=", 5))
				return;
			r0 = line + len;
		}
		r0 += 2;
		len = strcspn(h->ret.r0, "( ");
		snprintf(want, sizeof(want), "%.*s", (int)len, h->ret.r0);
		if (strncmp(r0, want, len) ||
		    (r0[len] != '(' && r0[len] != ' ' && r0[len] != '\n')) {
			char what[512];

			snprintf(what, sizeof(what), "r0 kernel [%.*s] table [%s]",
			         (int)strcspn(r0, "( \n"), r0, want);
			report(h, VRF_HELPER_NARGS, what);
		}
		n_ret_compared++;
		return;
	}
}

/* A buffer the program may only read, with a size of 8: refused ("write into map
 * forbidden") exactly when the table says the helper writes it (MEM_WRITE). */
static void check_write(const struct vrf_helper_proto *h, const enum val *before, unsigned n,
                        int32_t ret)
{
	enum val vals[VRF_HELPER_NARGS] = {V_UNSET};
	bool wrote, says;
	struct prog p;

	memcpy(vals, before, sizeof(vals));
	vals[n] = V_RO;
	vals[n + 1] = V_SCALAR8;
	build(&p, h->id, vals, ret);
	load(h, &p);
	wrote = strstr(logbuf, "write into map forbidden") != NULL;
	says = (h->args[n].flags & VRF_ARGF_MEM_WRITE) != 0;
	if (wrote != says)
		report(h, n,
		       says ? "the table says written, the kernel lets a read-only buffer through"
		            : "the table says read-only, the kernel refuses a read-only buffer");
	n_write_compared++;
}

static void check_helper(const struct vrf_helper_proto *h)
{
	enum val vals[VRF_HELPER_NARGS] = {V_UNSET};
	struct prog p;
	int32_t ret = exit_value(h);
	unsigned n;

	if (ret < 0)
		return; /* the program type does not load here (any more) */
	for (n = 0; n < VRF_HELPER_NARGS; n++) {
		const struct vrf_helper_arg *a = &h->args[n];
		char got[512], tag[32];
		int good;

		if (a->src != VRF_PROTO_PROBE)
			return;
		if (a->kind == VRF_ARG_DONTCARE) {
			/* Unused: leaving it unset must not be what the kernel complains about. */
			build(&p, h->id, vals, ret);
			load(h, &p);
			snprintf(tag, sizeof(tag), "R%u !read_ok", n + 1);
			if (strstr(logbuf, tag))
				report(h, n, "the table says unused, the kernel reads it");
			n_unused_checked++;
			check_ret(h, vals, ret);
			return;
		}
		if (a->accepts[0]) {
			vals[n] = strcmp(a->accepts, "scalar") ? V_SCALAR8 : V_FP;
			build(&p, h->id, vals, ret);
			load(h, &p);
			if (!kernel_list(n + 1, got, sizeof(got)))
				report(h, n, "no expected= list from the kernel");
			else if (strcmp(got, a->accepts)) {
				char what[1200];

				snprintf(what, sizeof(what), "kernel [%s] table [%s]", got,
				         a->accepts);
				report(h, n, what);
			}
			n_compared++;
		}
		good = good_value(a);
		if (good < 0)
			return;
		if (a->kind == VRF_ARG_PTR_TO_MEM && vrf_helper_arg_is_size(h, n + 1))
			check_write(h, vals, n, ret);
		vals[n] = (enum val)good;
	}
	check_ret(h, vals, ret);
}

START_TEST(sample_matches_kernel)
{
	uint32_t id;

	for (id = SAMPLE_EVERY; id <= vrf_helper_proto_max_id(); id += SAMPLE_EVERY) {
		const struct vrf_helper_proto *h = vrf_helper_proto(id);

		/* Tracing programs need a BTF attach target: left to the generator. */
		if (!h || h->probe_prog < 0 || h->probe_prog == BPF_PROG_TYPE_TRACING)
			continue;
		check_helper(h);
	}
	printf("compared %u accepted-type lists, %u unused arguments, %u return types, "
	       "%u written-or-not buffers, %u mismatches\n",
	       n_compared, n_unused_checked, n_ret_compared, n_write_compared, n_mismatch);
	ck_assert_uint_eq(n_mismatch, 0);
	ck_assert_uint_ge(n_compared, MIN_COMPARED);
	ck_assert_uint_ge(n_ret_compared, MIN_RETS);
	ck_assert_uint_ge(n_write_compared, MIN_WRITES);
}
END_TEST

int main(void)
{
	struct bpf_insn ret0[] = {mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0),
	                          mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)};
	struct utsname uts;
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int fd, failed;

	uname(&uts);
	if (strncmp(uts.release, KERNEL_VER ".", strlen(KERNEL_VER) + 1)) {
		printf("skip: the table is for Linux %s, this is %s\n", KERNEL_VER, uts.release);
		return 77;
	}
	fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "probe", "GPL", ret0, 2, NULL);
	if (fd < 0) {
		printf("skip: cannot load BPF programs (%s)\n", strerror(errno));
		return 77;
	}
	close(fd);
	map_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "protos_test", 4, 8, 1, NULL);
	{
		LIBBPF_OPTS(bpf_map_create_opts, ro_opts, .map_flags = BPF_F_RDONLY_PROG);

		ro_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "protos_ro", 4, 256, 1, &ro_opts);
		if (ro_fd < 0 || bpf_map_freeze(ro_fd) < 0) {
			printf("skip: cannot create a read-only array (%s)\n", strerror(errno));
			return 77;
		}
	}
	if (map_fd < 0) {
		printf("skip: cannot create a hash map (%s)\n", strerror(errno));
		return 77;
	}
	s = suite_create("verifier_protos_kernel");
	tc = tcase_create("kernel");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sample_matches_kernel);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	close(map_fd);
	close(ro_fd);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
