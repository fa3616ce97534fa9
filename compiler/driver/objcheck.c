/*
 * objcheck.c - the object pipeline behind `bpfcc verify` and `bpfcc -c`: object checks,
 * then per program link and preflight verifier, all findings in one sink.
 *
 * The order is the loader's.  libbpf's bpf_object__open() and the start of its load
 * (section names, license, map creation, relocations) come first; a program refused
 * there never reaches the kernel verifier, so it is not linked or verified here either.
 * When the object checks fail, which programs they fail is asked once more, program by
 * program, into a sink nobody reads: an object-wide defect (a map the kernel will not
 * create) fails every program, a per-program one (an unknown section name, a GPL-only
 * helper) only its own.  The kernel BTF the checks use is the running kernel's
 * (/sys/kernel/btf/vmlinux) unless another is named.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "check/check.h"
#include "driver/btf_prefetch.h"
#include "driver/driver.h"
#include "driver/objcheck.h"
#include "driver/options.h"
#include "elf/object.h"
#include "link/link.h"

#define OBJCHECK_DEFAULT_BTF    "/sys/kernel/btf/vmlinux"
#define OBJCHECK_MODULE_BTF_DIR "/sys/kernel/btf"
#define OBJCHECK_MAP_TYPE_ARENA 33 /* BPF_MAP_TYPE_ARENA (6.9), newer than the system header */

const char *objcheck_stage_name(enum objcheck_stage stage)
{
	switch (stage) {
	case OBJCHECK_OK:
		return "ok";
	case OBJCHECK_CHECK:
		return "object checks";
	case OBJCHECK_LINK:
		return "link";
	case OBJCHECK_VERIFIER:
		return "verifier";
	case OBJCHECK_INTERNAL:
		return "internal";
	}
	return "unknown";
}

static bool objcheck_selected(const struct objcheck_options *o, const char *name)
{
	if (!o || !o->programs)
		return true;
	for (size_t i = 0; i < o->nr_programs; i++)
		if (strcmp(o->programs[i], name) == 0)
			return true;
	return false;
}

/* The program type libbpf derives from the section name; 0 if none. */
static uint32_t objcheck_prog_type(const char *section)
{
	const struct check_section *sec = NULL;

	if (!section || check_section_lookup(section, &sec) || !sec)
		return 0;
	return sec->prog_type;
}

/* Do the object checks refuse program `name`?  1 yes, 0 no, -ENOMEM.  The findings go
 * to a sink of their own that is thrown away: they were reported already. */
static int objcheck_refused(const struct obj_file *obj, const struct check_options *all,
                            const char *name)
{
	const char *one[1] = {name};
	struct check_options co = *all;
	struct diag_sink *quiet;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int err;

	co.programs = one;
	co.nr_programs = 1;
	mem = open_memstream(&buf, &len);
	if (!mem)
		return -ENOMEM;
	quiet = diag_sink_new(mem, DIAG_FORMAT_JSON);
	if (!quiet) {
		fclose(mem);
		free(buf);
		return -ENOMEM;
	}
	err = check_object(obj, &co, quiet);
	if (!err && diag_error_count(quiet))
		err = -EINVAL;
	diag_sink_free(quiet);
	fclose(mem);
	free(buf);
	if (err == -ENOMEM)
		return err;
	return err ? 1 : 0;
}

/* vrf_map_info_fn over link_prog.maps: ld_imm64 imm is an index there.  .rodata is
 * frozen read-only with its initial contents, as libbpf loads it. */
struct objcheck_maps {
	const struct obj_file *obj;
	const struct link_prog *lp;
};

/* The inner map of map of maps imm: the definition its BTF `values` gives (libbpf creates
 * the kernel's inner_map_meta from it). */
static int objcheck_inner_map_info(const struct objcheck_maps *m, uint8_t src_reg, int32_t imm,
                                   struct vrf_map_info *out)
{
	const struct obj_map *om;
	const struct link_map *lm;

	if (src_reg != BPF_PSEUDO_MAP_IDX || imm < 0 || (size_t)imm >= m->lp->nr_maps)
		return -ENOENT;
	lm = &m->lp->maps[imm];
	if (lm->obj_map < 0 || (size_t)lm->obj_map >= m->obj->nr_maps)
		return -ENOENT;
	om = m->obj->maps[lm->obj_map].inner;
	if (!om || !om->has_type)
		return -ENOENT;
	*out = (struct vrf_map_info){.type = om->type,
	                             .key_size = om->key_size,
	                             .value_size = om->value_size,
	                             .max_entries = om->max_entries,
	                             .map_flags = om->map_flags,
	                             .value_btf_id = om->value_type_id};
	return 0;
}

static int objcheck_map_info(void *ctx, uint8_t src_reg, int32_t imm, struct vrf_map_info *out)
{
	const struct objcheck_maps *m = ctx;
	const struct link_map *lm;
	const struct obj_data *d;

	if (src_reg & VRF_MAP_SRC_INNER)
		return objcheck_inner_map_info(m, (uint8_t)(src_reg & ~VRF_MAP_SRC_INNER), imm,
		                               out);
	if ((src_reg != BPF_PSEUDO_MAP_IDX && src_reg != BPF_PSEUDO_MAP_IDX_VALUE) || imm < 0 ||
	    (size_t)imm >= m->lp->nr_maps)
		return -ENOENT;
	lm = &m->lp->maps[imm];
	*out = (struct vrf_map_info){.type = lm->type,
	                             .key_size = lm->key_size,
	                             .value_size = lm->value_size,
	                             .max_entries = lm->max_entries,
	                             .map_flags = lm->map_flags};
	if (lm->obj_map >= 0 && (size_t)lm->obj_map < m->obj->nr_maps)
		out->value_btf_id = m->obj->maps[lm->obj_map].value_type_id;
	d = lm->obj_data >= 0 && (size_t)lm->obj_data < m->obj->nr_datas
	        ? &m->obj->datas[lm->obj_data]
	        : NULL;
	/* a global data section: its DATASEC (kptrs, locks and timers among its variables) */
	if (d && !out->value_btf_id)
		out->value_btf_id = d->btf_datasec_id;
	if (d && d->kind == OBJ_DATA_RODATA && d->bytes && d->size >= lm->value_size)
		out->frozen_value = d->bytes;
	if (lm->kconfig_value) /* .kconfig is frozen read-only too */
		out->frozen_value = lm->kconfig_value;
	return 0;
}

/* vrf_func_fn over the linked program: the BTF FUNC of the (sub)program starting at insn. */
static uint32_t objcheck_func(void *ctx, size_t insn)
{
	const struct link_prog *lp = ((const struct objcheck_maps *)ctx)->lp;
	const struct obj_prog *p;
	size_t k;

	if (insn >= lp->insn_cnt || !lp->origin_prog[insn])
		return 0;
	p = lp->origin_prog[insn];
	/* libbpf loads hidden functions (__hidden, as in usdt.bpf.h) as static ones */
	if (p->sym && lp->origin_insn[insn] == 0 &&
	    (p->sym->visibility == STV_HIDDEN || p->sym->visibility == STV_INTERNAL))
		return 0;
	for (k = 0; k < p->nr_funcs; k++)
		if (p->funcs[k].insn == lp->origin_insn[insn])
			return p->funcs[k].type_id;
	return 0;
}

/* prog_flags libbpf passes for the section (BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS). */
static uint32_t objcheck_prog_flags(const char *section)
{
	const struct check_section *sec = NULL;
	uint32_t flags = 0;

	if (!section || check_section_lookup(section, &sec) || !sec)
		return 0;
	if (sec->flags & CHECK_SEC_SLEEPABLE)
		flags |= BPF_F_SLEEPABLE;
	if (sec->flags & CHECK_SEC_XDP_FRAGS)
		flags |= BPF_F_XDP_HAS_FRAGS;
	return flags;
}

/*
 * attach_btf_id as libbpf 1.1 resolves it in the kernel's BTF for a section naming a BTF
 * target (find_kernel_btf_id()): the "btf_trace_<tp>" typedef for tp_btf, "bpf_lsm_<hook>"
 * for lsm, "bpf_iter_<name>" for iter, the function itself for fentry/fexit/fmod_ret.
 * 0 when unknown (no kernel BTF, module targets, struct_ops).
 */
static uint32_t objcheck_attach_btf_id(const char *section, const struct check_section *sec,
                                       const struct btf *kbtf)
{
	const char *slash = strchr(section, '/'), *prefix = "";
	int kind = BTF_KIND_FUNC, id;
	char name[256];

	if (!kbtf || sec->target != CHECK_TGT_BTF || !slash || !slash[1] || strchr(slash, ':'))
		return 0;
	switch (sec->attach_type) {
	case BPF_TRACE_RAW_TP:
		prefix = "btf_trace_";
		kind = BTF_KIND_TYPEDEF;
		break;
	case BPF_LSM_MAC:
	case BPF_LSM_CGROUP:
		prefix = "bpf_lsm_";
		break;
	case BPF_TRACE_ITER:
		prefix = "bpf_iter_";
		break;
	case BPF_TRACE_FENTRY:
	case BPF_TRACE_FEXIT:
	case BPF_MODIFY_RETURN:
		break;
	default:
		return 0;
	}
	if (snprintf(name, sizeof(name), "%s%s", prefix, slash + 1) >= (int)sizeof(name))
		return 0;
	id = btf__find_by_name_kind(kbtf, name, kind);
	return id > 0 ? (uint32_t)id : 0;
}

/* The BTF id of the section's attach target (expected_attach_type comes from the link
 * step, as libbpf passes it). */
static void objcheck_attach(const char *section, struct vrf_options *vo)
{
	const struct check_section *sec = NULL;

	if (!section || check_section_lookup(section, &sec) || !sec)
		return;
	vo->attach_btf_id = objcheck_attach_btf_id(section, sec, vo->kernel_btf);
}

/* Link and verify one program; 0, -EINVAL (refused, p->stage says where) or -ENOMEM. */
static int objcheck_program(const struct obj_file *obj, const struct obj_prog *prog,
                            const struct objcheck_options *opts,
                            const struct check_core_index *core_index, struct diag_sink *sink,
                            struct objcheck_prog *p)
{
	struct link_options lo = {.target_btf = opts ? opts->target_btf : NULL,
	                          .kconfig = opts ? opts->kconfig : NULL,
	                          .kernel = opts ? opts->kernel : NULL,
	                          .core_index = core_index};
	struct link_prog lp;
	struct vrf_options vo = {0};
	struct objcheck_maps maps = {obj, &lp};
	unsigned errors = diag_error_count(sink);
	int err;

	memset(&lp, 0, sizeof(lp));
	err = link_program(obj, prog, &lo, &lp, sink);
	if (!err && diag_error_count(sink) > errors)
		err = -EINVAL;
	if (err) {
		link_prog_free(&lp);
		p->stage = err == -ENOMEM ? OBJCHECK_INTERNAL : OBJCHECK_LINK;
		return err == -ENOMEM ? err : -EINVAL;
	}
	if (lp.prog_type)
		p->prog_type = lp.prog_type;
	p->insn_cnt = lp.insn_cnt;
	vo.prog_type = (enum bpf_prog_type)p->prog_type;
	vo.program = prog->name;
	vo.section = prog->section;
	vo.loc_fn = link_loc;
	vo.loc_ctx = &lp;
	vo.map_info_fn = objcheck_map_info;
	vo.map_info_ctx = &maps;
	vo.kernel_btf = opts ? opts->target_btf : NULL;
	vo.prog_btf = obj->btf;
	vo.func_fn = objcheck_func;
	vo.func_ctx = &maps;
	vo.prog_flags = objcheck_prog_flags(prog->section);
	/* what libbpf passes as expected_attach_type (BPF_XDP for SEC("xdp"), ...): the
	 * context rules of some program types depend on it */
	vo.expected_attach_type = lp.expected_attach_type;
	vo.flags |= VRF_F_ATTACH_TYPE;
	/* libbpf passes "" when the object has no license section */
	if (!check_license_is_gpl(obj->license ? obj->license : ""))
		vo.flags |= VRF_F_NOT_GPL;
	objcheck_attach(prog->section, &vo);
	if (opts && opts->trace_fn) {
		char head[512];

		snprintf(head, sizeof(head), "program %s (%s)", prog->name, prog->section);
		opts->trace_fn(opts->trace_ctx, head);
		vo.trace_fn = opts->trace_fn;
		vo.trace_ctx = opts->trace_ctx;
	}
	for (size_t i = 0; i < lp.nr_maps; i++)
		if (lp.maps[i].type == OBJCHECK_MAP_TYPE_ARENA)
			vo.flags |= VRF_F_HAS_ARENA;
	if (opts) {
		vo.path_fn = opts->path_fn;
		vo.path_ctx = opts->cfg_ctx;
	}
	err = verifier_run(lp.insns, lp.insn_cnt, &vo, sink, &p->verdict, &p->stats);
	p->verifier_ran = err != -ENOMEM;
	if (!err && diag_error_count(sink) > errors)
		err = -EINVAL;
	if (err)
		p->stage = err == -ENOMEM ? OBJCHECK_INTERNAL : OBJCHECK_VERIFIER;
	if (opts && opts->linked_fn)
		opts->linked_fn(opts->cfg_ctx, p, &lp);
	link_prog_free(&lp);
	return err == -ENOMEM ? err : err ? -EINVAL : 0;
}

/* Does any program or subprogram carry CO-RE relocations? */
static bool objcheck_has_core(const struct obj_file *obj)
{
	for (size_t i = 0; i < obj->nr_progs; i++)
		if (obj->progs[i].nr_core_relos)
			return true;
	for (size_t i = 0; i < obj->nr_subprogs; i++)
		if (obj->subprogs[i].nr_core_relos)
			return true;
	return false;
}

static int objcheck_run_idx(const struct obj_file *obj, const struct objcheck_options *opts,
                            const struct check_core_index *core_index, struct diag_sink *sink,
                            struct objcheck_result *res);

int objcheck_run(const struct obj_file *obj, const struct objcheck_options *opts,
                 struct diag_sink *sink, struct objcheck_result *res)
{
	struct check_core_index *ci = NULL;
	int err;

	/* the candidates of every CO-RE relocation, found once for check and link */
	if (opts && opts->target_btf && objcheck_has_core(obj)) {
		ci = btf_prefetch_take_index(opts->target_btf);
		if (!ci)
			ci = check_core_index_new(opts->target_btf);
	}
	err = objcheck_run_idx(obj, opts, ci, sink, res);
	check_core_index_free(ci);
	return err;
}

static int objcheck_run_idx(const struct obj_file *obj, const struct objcheck_options *opts,
                            const struct check_core_index *core_index, struct diag_sink *sink,
                            struct objcheck_result *res)
{
	struct check_options co = {0};
	struct objcheck_result local = {0};
	size_t nsel = 0;
	unsigned errors = diag_error_count(sink);
	int err, status = 0;

	if (!res)
		res = &local;
	memset(res, 0, sizeof(*res));
	if (opts) {
		co.target_btf = opts->target_btf;
		co.kconfig = opts->kconfig;
		co.kernel = opts->kernel;
		co.core_index = core_index;
		co.programs = opts->programs;
		co.nr_programs = opts->nr_programs;
	}
	err = check_object(obj, &co, sink);
	if (err == -ENOMEM)
		return err;
	res->object_ok = !err && diag_error_count(sink) == errors;

	for (size_t i = 0; i < obj->nr_progs; i++)
		nsel += objcheck_selected(opts, obj->progs[i].name);
	res->progs = calloc(nsel ? nsel : 1, sizeof(*res->progs));
	if (!res->progs)
		return -ENOMEM;
	for (size_t i = 0; i < obj->nr_progs; i++) {
		const struct obj_prog *prog = &obj->progs[i];
		struct objcheck_prog *p;
		int refused = 1;

		if (!objcheck_selected(opts, prog->name))
			continue;
		p = &res->progs[res->nr_progs++];
		p->name = prog->name;
		p->section = prog->section;
		p->prog_type = objcheck_prog_type(prog->section);
		p->verdict.insn = -1;
		if (!res->object_ok) {
			if (nsel > 1)
				refused = objcheck_refused(obj, &co, prog->name);
			if (refused < 0) {
				p->stage = OBJCHECK_INTERNAL;
				status = refused;
				break;
			}
			if (refused) {
				p->stage = OBJCHECK_CHECK;
				if (!status)
					status = -EINVAL;
				continue;
			}
		}
		err = objcheck_program(obj, prog, opts, core_index, sink, p);
		if (err == -ENOMEM) {
			status = err;
			break;
		}
		if (err && !status)
			status = -EINVAL;
	}
	if (!status && !res->object_ok)
		status = -EINVAL; /* an object-wide finding that no selected program has */
	if (res == &local)
		objcheck_result_free(&local);
	return status;
}

void objcheck_result_free(struct objcheck_result *res)
{
	if (!res)
		return;
	free(res->progs);
	memset(res, 0, sizeof(*res));
}

struct btf *objcheck_load_target_btf(const char *path, struct diag_sink *sink, bool *failed)
{
	struct btf *btf;
	int err;

	*failed = false;
	if (!path) {
		if (access(OBJCHECK_DEFAULT_BTF, R_OK) != 0)
			return NULL;
		path = OBJCHECK_DEFAULT_BTF;
	}
	btf = btf_prefetch_take(path);
	if (btf)
		return btf;
	errno = 0;
	btf = btf__parse(path, NULL);
	err = errno;
	if (!btf) {
		diag_errorf(sink, NULL, NULL, "cannot read target BTF '%s': %s", path,
		            strerror(err ? (int)err : EINVAL));
		*failed = true;
		return NULL;
	}
	return btf;
}

struct check_kernel_btf *objcheck_kernel_btf(const struct btf *target_btf, bool running)
{
	if (!target_btf)
		return NULL;
	return check_kernel_btf_new(target_btf, running ? OBJCHECK_MODULE_BTF_DIR : NULL);
}

struct check_kconfig *objcheck_load_kconfig(const char *path, bool running, struct diag_sink *sink,
                                            bool *failed)
{
	struct check_kconfig *kc;

	*failed = false;
	if (!path)
		return running ? check_kconfig_load_running() : NULL;
	kc = check_kconfig_load(path, sink);
	*failed = !kc;
	return kc;
}

/* Has `obj` __kconfig externs? */
static bool objcheck_has_kconfig(const struct obj_file *obj)
{
	for (size_t i = 0; i < obj->nr_externs; i++)
		if (obj->externs[i].kind == OBJ_EXTERN_KCONFIG)
			return true;
	return false;
}

/*
 * Whether anything in `obj` is checked or linked against the kernel's BTF: CO-RE
 * relocations, externs (__ksym, __kconfig) and programs whose attach target is a BTF name
 * (fentry, tp_btf, lsm, iter, struct_ops ...).  Parsing the 5-6 MB of vmlinux BTF costs
 * more than compiling a small program, so objects without any of these skip it.
 */
static bool objcheck_needs_target_btf(const struct obj_file *obj)
{
	if (obj->nr_externs)
		return true;
	for (size_t i = 0; i < obj->nr_progs; i++) {
		const struct obj_prog *p = &obj->progs[i];
		const struct check_section *sec;

		if (p->nr_core_relos)
			return true;
		if (!check_section_lookup(p->section, &sec) &&
		    (sec->target == CHECK_TGT_BTF || sec->target == CHECK_TGT_STRUCT_OPS))
			return true;
	}
	for (size_t i = 0; i < obj->nr_subprogs; i++)
		if (obj->subprogs[i].nr_core_relos)
			return true;
	return false;
}

int objcheck_buffer(const void *buf, size_t len, const char *name, const char *target_btf_path,
                    struct diag_sink *sink)
{
	struct objcheck_options opts = {0};
	struct obj_file *obj;
	struct btf *btf;
	bool failed;
	int err;

	obj = obj_open_mem(buf, len, name, sink);
	if (!obj)
		return -EINVAL;
	btf = NULL;
	failed = false;
	if (target_btf_path || objcheck_needs_target_btf(obj))
		btf = objcheck_load_target_btf(target_btf_path, sink, &failed);
	if (failed) {
		obj_free(obj);
		return -EINVAL;
	}
	opts.target_btf = btf;
	if (objcheck_has_kconfig(obj)) /* the running kernel's config, unless another target */
		opts.kconfig = objcheck_load_kconfig(NULL, !target_btf_path, sink, &failed);
	opts.kernel = objcheck_kernel_btf(btf, !target_btf_path);
	err = objcheck_run(obj, &opts, sink, NULL);
	check_kernel_btf_free(opts.kernel);
	check_kconfig_free((struct check_kconfig *)opts.kconfig);
	btf__free(btf);
	obj_free(obj);
	return err;
}

int objcheck_compiled(const struct drv_options *o, const void *buf, size_t len, const char *name,
                      struct diag_sink *sink)
{
	int err;

	/* Only objects; and the reader, like the kernel, takes the host's byte order only:
	 * a --target=bpfeb object on a little-endian host is for another machine. */
	if (o->mode != DRV_MODE_OBJECT || o->emit_llvm ||
	    o->big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__))
		return DRV_EXIT_OK;
	err = objcheck_buffer(buf, len, name, o->target_btf, sink);
	if (err == -ENOMEM) {
		diag_errorf(sink, NULL, NULL, "out of memory");
		return DRV_EXIT_USAGE;
	}
	return err ? DRV_EXIT_DIAG : DRV_EXIT_OK;
}
