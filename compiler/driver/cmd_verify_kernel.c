/*
 * cmd_verify_kernel.c - the kernel's half of `bpfcc verify --against-kernel`.
 *
 * Each program of the object is loaded on its own into the running kernel through the
 * runtime library (libbpf, every other program's autoload off, maps created, everything
 * released again), as veristat does, and its verdict is set next to bpfcc's prediction.
 * The kernel's verdict kinds stay distinct: accepted, rejected by the verifier, or failed
 * outside it (a map, an attach target, a relocation).  A program the kernel refuses with
 * EPERM before its verifier runs (lockdown refuses fentry/fexit/lsm loads; an unprivileged
 * loader) has no verdict to compare: it is reported as not compared, never as agreement.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/cmd_verify.h"
#include "elf/object.h"

const char *vfy_agree_name(enum vfy_agree a)
{
	switch (a) {
	case VFY_AGREE:
		return "agree";
	case VFY_DISAGREE:
		return "disagree";
	case VFY_NOT_COMPARED:
		break;
	}
	return "not compared";
}

void vfy_kernel_free(struct vfy_kernel *k)
{
	free(k->verdict);
	free(k->step);
	free(k->message);
	free(k->src_file);
	memset(k, 0, sizeof(*k));
}

#ifndef BPFCC_HAVE_RUNTIME
int vfy_kernel_probe(char *why, size_t why_size)
{
	snprintf(why, why_size, "bpfcc was built without the runtime library (libbpf)");
	return -ENOTSUP;
}

int vfy_kernel_ask(struct vfy_run *run, struct vfy_file *f)
{
	(void)run;
	(void)f;
	return -ENOTSUP;
}
#else
#include "bpfcc/runtime.h"

int vfy_kernel_probe(char *why, size_t why_size)
{
	return bpfcc_rt_probe(why, why_size);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Copies what the report needs out of a runtime result.  0 or -ENOMEM. */
static int kernel_copy(struct vfy_kernel *k, const struct bpfcc_rt_result *r)
{
	const char *msg = r->kernel_msg ? r->kernel_msg : r->libbpf_msg;

	k->asked = true;
	k->verdict = strdup(bpfcc_rt_verdict_name(r->verdict));
	k->step = r->verdict == BPFCC_RT_ACCEPTED ? NULL : strdup(bpfcc_rt_step_name(r->step));
	k->err = r->err;
	k->message = r->verdict == BPFCC_RT_ACCEPTED ? NULL : dup_or_null(msg);
	k->insn = r->insn;
	k->src_file = dup_or_null(r->src_file);
	k->src_line = r->src_line;
	k->processed_insns = r->processed_insns;
	k->total_states = r->total_states;
	k->peak_states = r->peak_states;
	k->verification_usec = r->verification_usec;
	k->before_verifier =
	    r->verdict == BPFCC_RT_FAILED && r->err == -EPERM && (!r->log || !r->log[0]);
	if (!k->verdict || (r->verdict != BPFCC_RT_ACCEPTED && !k->step))
		return -ENOMEM;
	return 0;
}

static enum vfy_agree kernel_compare(const struct vfy_prog *p)
{
	bool bpfcc_loads = p->bp.stage == OBJCHECK_OK;

	if (!p->kernel.asked || p->kernel.before_verifier || p->bp.stage == OBJCHECK_INTERNAL)
		return VFY_NOT_COMPARED;
	if (strcmp(p->kernel.verdict, "accepted") == 0)
		return bpfcc_loads ? VFY_AGREE : VFY_DISAGREE;
	return bpfcc_loads ? VFY_DISAGREE : VFY_AGREE;
}

static void kernel_count(struct vfy_run *run, struct vfy_prog *p)
{
	p->agree = kernel_compare(p);
	if (p->agree == VFY_AGREE)
		run->agree++;
	else if (p->agree == VFY_DISAGREE)
		run->disagree++;
	else
		run->not_compared++;
}

int vfy_kernel_ask(struct vfy_run *run, struct vfy_file *f)
{
	struct bpfcc_rt_object *obj = NULL;
	int err = bpfcc_rt_object_open_file(f->path, &obj);

	if (err) {
		/* libbpf cannot open what our reader could: every program fails at "open". */
		if (err == -ENOMEM)
			return err;
		if (asprintf(&f->kernel_error, "libbpf cannot open the object: %s",
		             strerror(-err)) < 0)
			return -ENOMEM;
		for (size_t i = 0; i < f->nr_progs; i++) {
			struct vfy_kernel *k = &f->progs[i].kernel;

			k->asked = true;
			k->verdict = strdup("failed");
			k->step = strdup("open");
			k->message = strdup(f->kernel_error);
			k->err = err;
			k->insn = -1;
			k->processed_insns = k->total_states = k->peak_states = -1;
			k->verification_usec = -1;
			if (!k->verdict || !k->step || !k->message)
				return -ENOMEM;
			kernel_count(run, &f->progs[i]);
		}
		return 0;
	}
	for (size_t i = 0; i < f->nr_progs && !err; i++) {
		struct vfy_prog *p = &f->progs[i];
		struct bpfcc_rt_result *r = NULL;

		err = bpfcc_rt_load_program(obj, p->bp.name, NULL, &r);
		if (err == -ENOENT) {
			/* libbpf does not see this function as a program. */
			p->kernel.asked = true;
			p->kernel.verdict = strdup("failed");
			p->kernel.step = strdup("open");
			p->kernel.message = strdup("libbpf does not know this program");
			p->kernel.err = err;
			p->kernel.insn = -1;
			p->kernel.processed_insns = p->kernel.total_states = -1;
			p->kernel.peak_states = p->kernel.verification_usec = -1;
			err =
			    p->kernel.verdict && p->kernel.step && p->kernel.message ? 0 : -ENOMEM;
		} else if (!err) {
			err = kernel_copy(&p->kernel, r);
			if (p->bp.stage == OBJCHECK_VERIFIER && p->bp.verdict.kernel_msg[0] &&
			    r->verdict == BPFCC_RT_REJECTED && r->log) {
				p->kernel.message_compared = true;
				p->kernel.same_message = strstr(r->log, p->bp.verdict.kernel_msg);
			}
			if (!err && !run->kernel_release[0] && r->kernel_release)
				snprintf(run->kernel_release, sizeof(run->kernel_release), "%s",
				         r->kernel_release);
		}
		bpfcc_rt_result_free(r);
		if (!err)
			kernel_count(run, p);
	}
	bpfcc_rt_object_free(obj);
	return err;
}
#endif
