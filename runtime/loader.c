/*
 * loader.c - loads BPF objects into the running kernel with libbpf and records the
 * kernel's verdict per program.
 *
 * libbpf loads an object once: bpf_object__load() creates every map, applies the
 * relocations (CO-RE against the kernel's BTF, attach targets for tracing programs) and
 * then hands each program to BPF_PROG_LOAD, where the verifier runs.  To ask the kernel
 * about one program, the object is reopened from a private copy of its bytes with every
 * other program's autoload turned off (the maps are still all created, as libbpf does),
 * loaded with our own verifier log buffer, and closed again.
 *
 * The kernel (6.4+) keeps the tail of the log when the buffer is too small and fails the
 * load with ENOSPC, even for a program it would accept; the buffer is then doubled and
 * the load retried, up to a limit, after which the verdict comes from a load without a
 * log and the log is the kept tail.
 *
 * Which step failed is decided from the errno, from whether the verifier wrote a log and
 * from libbpf's own warnings (captured through its print hook): the verifier rejecting a
 * program always leaves a log; lockdown's EPERM, a missing attach target or a map the
 * kernel will not create leave none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfcc/runtime.h"
#include "runtime_int.h"

struct bpfcc_rt_object {
	void *bytes;
	size_t size;
	char *name;
	struct bpf_object *meta; /* opened, never loaded: program list and BTF */
	size_t nprogs;
	const char **names;
	const char **sections;
};

/* libbpf's warnings during one of our calls, for classifying the failure. */
struct rt_capture {
	char text[16384];
	size_t len;
};

static bpfcc_rt_print_fn rt_user_print;
static struct rt_capture *rt_active_capture;

void bpfcc_rt_set_print(bpfcc_rt_print_fn fn)
{
	rt_user_print = fn;
}

static int rt_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	struct rt_capture *cap = rt_active_capture;

	if (cap && level == LIBBPF_WARN) {
		char line[1024];
		va_list cp;
		size_t n;

		va_copy(cp, ap);
		vsnprintf(line, sizeof(line), fmt, cp);
		va_end(cp);
		/* The verifier log itself is recorded separately. */
		if (!strstr(line, "-- BEGIN PROG LOAD LOG --")) {
			n = strlen(line);
			if (cap->len + n < sizeof(cap->text)) {
				memcpy(cap->text + cap->len, line, n + 1);
				cap->len += n;
			}
		}
	}
	if (rt_user_print)
		return rt_user_print(level, fmt, ap);
	return 0;
}

static libbpf_print_fn_t rt_capture_begin(struct rt_capture *cap)
{
	cap->len = 0;
	cap->text[0] = '\0';
	rt_active_capture = cap;
	return libbpf_set_print(rt_print);
}

static void rt_capture_end(libbpf_print_fn_t old)
{
	rt_active_capture = NULL;
	libbpf_set_print(old);
}

/* The failing step named by libbpf's warnings. */
static enum bpfcc_rt_step rt_classify(const struct rt_capture *cap)
{
	const char *t = cap->text;

	if (strstr(t, "BPF program load failed"))
		return BPFCC_RT_STEP_PROG_LOAD;
	if (strstr(t, "failed to create") || strstr(t, "create map"))
		return BPFCC_RT_STEP_MAP_CREATE;
	if (strstr(t, "attach") || strstr(t, "kernel BTF") || strstr(t, "find BTF"))
		return BPFCC_RT_STEP_ATTACH_TARGET;
	if (strstr(t, "relo") || strstr(t, "CO-RE"))
		return BPFCC_RT_STEP_RELOCATE;
	return BPFCC_RT_STEP_OTHER;
}

/* The first line libbpf warned, without its "libbpf: " prefix. */
static int rt_capture_first_line(const struct rt_capture *cap, char **out)
{
	const char *s = cap->text;
	size_t len;

	if (strncmp(s, "libbpf: ", 8) == 0)
		s += 8;
	len = strcspn(s, "\n");
	free(*out);
	*out = NULL;
	if (len == 0)
		return 0;
	*out = strndup(s, len);
	return *out ? 0 : -ENOMEM;
}

/* Is `name` the program libbpf says failed in BPF_PROG_LOAD? */
static bool rt_capture_names_prog(const struct rt_capture *cap, const char *name)
{
	char needle[300];

	snprintf(needle, sizeof(needle), "prog '%s': BPF program load failed", name);
	return strstr(cap->text, needle) != NULL;
}

static struct bpf_object *rt_open(const struct bpfcc_rt_object *obj)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = obj->name);
	struct bpf_object *o = bpf_object__open_mem(obj->bytes, obj->size, &oo);
	struct bpf_map *map;

	if (!o)
		return NULL;
	/* Nothing we load may outlive us: no pinning. */
	bpf_object__for_each_map(map, o) bpf_map__set_pin_path(map, NULL);
	return o;
}

int bpfcc_rt_object_open_mem(const void *buf, size_t size, const char *name,
                             struct bpfcc_rt_object **out)
{
	struct bpfcc_rt_object *obj;
	struct rt_capture cap;
	libbpf_print_fn_t old;
	struct bpf_program *p;
	size_t i = 0;
	int err = -ENOMEM;

	*out = NULL;
	if (!buf || !size)
		return -EINVAL;
	obj = calloc(1, sizeof(*obj));
	if (!obj)
		return -ENOMEM;
	obj->bytes = malloc(size);
	obj->name = strdup(name ? name : "object");
	if (!obj->bytes || !obj->name)
		goto fail;
	memcpy(obj->bytes, buf, size);
	obj->size = size;
	old = rt_capture_begin(&cap);
	obj->meta = rt_open(obj);
	err = obj->meta ? 0 : (errno ? -errno : -EINVAL);
	rt_capture_end(old);
	if (err)
		goto fail;
	bpf_object__for_each_program(p, obj->meta) obj->nprogs++;
	obj->names = calloc(obj->nprogs + 1, sizeof(*obj->names));
	obj->sections = calloc(obj->nprogs + 1, sizeof(*obj->sections));
	err = -ENOMEM;
	if (!obj->names || !obj->sections)
		goto fail;
	bpf_object__for_each_program(p, obj->meta)
	{
		obj->names[i] = bpf_program__name(p);
		obj->sections[i] = bpf_program__section_name(p);
		i++;
	}
	*out = obj;
	return 0;
fail:
	bpfcc_rt_object_free(obj);
	return err;
}

int bpfcc_rt_object_open_file(const char *path, struct bpfcc_rt_object **out)
{
	FILE *f;
	char *buf = NULL;
	size_t size = 0, cap = 0, n;
	const char *base;
	int err = 0;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	do {
		if (size == cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > (1u << 30)) {
				err = -EFBIG;
				break;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			buf = nb;
		}
		n = fread(buf + size, 1, cap - size, f);
		size += n;
	} while (n > 0);
	if (!err && ferror(f))
		err = -EIO;
	fclose(f);
	base = strrchr(path, '/');
	if (!err)
		err = bpfcc_rt_object_open_mem(buf, size, base ? base + 1 : path, out);
	free(buf);
	return err;
}

void bpfcc_rt_object_free(struct bpfcc_rt_object *obj)
{
	if (!obj)
		return;
	bpf_object__close(obj->meta);
	free(obj->names);
	free(obj->sections);
	free(obj->bytes);
	free(obj->name);
	free(obj);
}

size_t bpfcc_rt_object_program_count(const struct bpfcc_rt_object *obj)
{
	return obj ? obj->nprogs : 0;
}

const char *bpfcc_rt_object_program_name(const struct bpfcc_rt_object *obj, size_t i)
{
	return obj && i < obj->nprogs ? obj->names[i] : NULL;
}

const char *bpfcc_rt_object_program_section(const struct bpfcc_rt_object *obj, size_t i)
{
	return obj && i < obj->nprogs ? obj->sections[i] : NULL;
}

const struct btf *bpfcc_rt_object_btf(const struct bpfcc_rt_object *obj)
{
	return obj ? bpf_object__btf(obj->meta) : NULL;
}

/* Records the log of one program and everything read from it. */
static int rt_result_take_log(struct bpfcc_rt_result *res, const char *log)
{
	int err = rt_set_str(&res->log, log ? log : "");

	return err ? err : bpfcc_rt_parse_log(res->log, res);
}

/* libbpf's warning when a program array's initial value names a program not loaded. */
#define RT_SLOT_INIT "failed to initialize slot"

/* Verdict of a program that did not load, from its log and libbpf's account. */
static void rt_result_judge(struct bpfcc_rt_result *res, int err, enum bpfcc_rt_step step)
{
	res->err = err;
	/* A log that ends in the statistics alone is the verifier accepting the program:
	 * whatever failed came after it (libbpf filling a program array, for one). */
	if (res->log[0] && step == BPFCC_RT_STEP_OTHER && !res->kernel_msg &&
	    res->processed_insns >= 0) {
		res->verdict = BPFCC_RT_FAILED;
		res->step = step;
	} else if (res->log[0] &&
	           (step == BPFCC_RT_STEP_PROG_LOAD || step == BPFCC_RT_STEP_OTHER)) {
		res->verdict = BPFCC_RT_REJECTED;
		res->step = BPFCC_RT_STEP_PROG_LOAD;
	} else {
		res->verdict = BPFCC_RT_FAILED;
		res->step = step;
	}
}

/*
 * One attempt at loading `name` alone (`all`: with every other program too, as an
 * application would) with a log buffer of `size` bytes (level 0: no buffer).  Fills res;
 * returns the load's error (0, negative errno) or, through *fatal, an error that
 * prevented the attempt.
 */
static int rt_load_one(const struct bpfcc_rt_object *obj, const char *name, bool all,
                       unsigned level, char *buf, size_t size, struct bpfcc_rt_result *res,
                       int *fatal)
{
	struct rt_capture *cap = malloc(sizeof(*cap));
	struct bpf_program *p, *target = NULL;
	libbpf_print_fn_t old;
	struct bpf_object *o;
	int err;

	*fatal = 0;
	if (!cap) {
		*fatal = -ENOMEM;
		return 0;
	}
	old = rt_capture_begin(cap);
	o = rt_open(obj);
	if (!o) {
		err = errno ? -errno : -EINVAL;
		rt_capture_end(old);
		res->verdict = BPFCC_RT_FAILED;
		res->step = BPFCC_RT_STEP_OPEN;
		res->err = err;
		*fatal = rt_capture_first_line(cap, &res->libbpf_msg);
		free(cap);
		return err;
	}
	bpf_object__for_each_program(p, o)
	{
		bool me = strcmp(bpf_program__name(p), name) == 0;

		bpf_program__set_autoload(p, me || (all && bpf_program__autoload(p)));
		if (me)
			target = p;
	}
	if (!target) {
		rt_capture_end(old);
		bpf_object__close(o);
		free(cap);
		*fatal = -ENOENT;
		return 0;
	}
	if (buf) {
		buf[0] = '\0';
		bpf_program__set_log_buf(target, buf, size);
		bpf_program__set_log_level(target, level);
	}
	err = bpf_object__load(o);
	rt_capture_end(old);
	bpf_object__close(o);
	res->err = err;
	if (buf)
		buf[size - 1] = '\0';
	*fatal = rt_result_take_log(res, buf ? buf : "");
	if (!*fatal)
		*fatal = rt_capture_first_line(cap, &res->libbpf_msg);
	if (!err) {
		res->verdict = BPFCC_RT_ACCEPTED;
		res->step = BPFCC_RT_STEP_NONE;
	} else {
		rt_result_judge(res, err, rt_classify(cap));
	}
	if (err && !*fatal && !all && strstr(cap->text, RT_SLOT_INIT)) {
		/* libbpf 1.1 cannot fill a program array that names a program it did not load:
		 * load the object whole, as the application will. */
		free(cap);
		return rt_load_one(obj, name, true, level, buf, size, res, fatal);
	}
	free(cap);
	return err;
}

/* The kernel's BPF_COMPLEXITY_LIMIT_INSNS. */
#define RT_COMPLEXITY_LIMIT 1000000
/* A generous size of one instruction's lines in a level-1 log. */
#define RT_LOG_BYTES_PER_INSN 160

/*
 * The next buffer size after an ENOSPC: twice the last, or at once the size the kept
 * tail's "processed N insns" suggests, so that a big program costs one retry instead of
 * one per doubling (each retry verifies the program again).  Above cfg->size_max means
 * "stop growing".
 */
static size_t rt_log_next_size(const struct bpfcc_rt_result *res, size_t size,
                               const struct rt_log_cfg *cfg)
{
	size_t next = size * 2;

	if (res->processed_insns > 0) {
		size_t want = (size_t)res->processed_insns * RT_LOG_BYTES_PER_INSN;

		while (next < want && next <= cfg->size_max)
			next *= 2;
	}
	return next;
}

int bpfcc_rt_load_program(const struct bpfcc_rt_object *obj, const char *name,
                          const struct bpfcc_rt_load_opts *opts, struct bpfcc_rt_result **out)
{
	struct bpfcc_rt_result *res;
	struct rt_log_cfg cfg;
	const char *section = NULL;
	size_t size;
	char *buf = NULL;
	int err, fatal = 0;

	*out = NULL;
	if (!obj || !name)
		return -EINVAL;
	for (size_t i = 0; i < obj->nprogs; i++)
		if (strcmp(obj->names[i], name) == 0)
			section = obj->sections[i];
	if (!section)
		return -ENOENT;
	rt_log_cfg_init(&cfg, opts);
	res = rt_result_new(name, section);
	if (!res)
		return -ENOMEM;
	for (size = cfg.size;; size = rt_log_next_size(res, size, &cfg)) {
		char *nb = realloc(buf, size);

		if (!nb) {
			fatal = -ENOMEM;
			break;
		}
		buf = nb;
		err = rt_load_one(obj, name, false, cfg.level, buf, size, res, &fatal);
		if (fatal || err != -ENOSPC || !res->log[0])
			break;
		if (res->processed_insns > RT_COMPLEXITY_LIMIT) {
			/* The kept tail ends in "processed N insns" past the limit: the verifier
			 * gave up ("BPF program is too large"), a rejection whatever the size. */
			res->log_truncated = true;
			res->verdict = BPFCC_RT_REJECTED;
			res->step = BPFCC_RT_STEP_PROG_LOAD;
			res->err = -E2BIG;
			break;
		}
		if (rt_log_next_size(res, size, &cfg) > cfg.size_max) {
			/* The log keeps its tail; ask for the verdict without one. */
			struct bpfcc_rt_result *plain = rt_result_new(name, section);

			if (!plain) {
				fatal = -ENOMEM;
				break;
			}
			rt_load_one(obj, name, false, 0, NULL, 0, plain, &fatal);
			res->log_truncated = true;
			res->verdict = plain->verdict;
			res->step = plain->step;
			res->err = plain->err;
			if (plain->verdict != BPFCC_RT_ACCEPTED && res->log[0])
				res->verdict = BPFCC_RT_REJECTED;
			bpfcc_rt_result_free(plain);
			break;
		}
	}
	free(buf);
	if (fatal) {
		bpfcc_rt_result_free(res);
		return fatal;
	}
	*out = res;
	return 0;
}

/* Loads every autoload program of one fresh copy, each with its own log of `size`. */
static int rt_load_all_once(const struct bpfcc_rt_object *obj, const struct rt_log_cfg *cfg,
                            size_t size, struct bpfcc_rt_result **res, size_t *count, int *load_err)
{
	struct rt_capture *cap = malloc(sizeof(*cap));
	char **bufs = calloc(obj->nprogs + 1, sizeof(*bufs));
	struct bpf_program *p;
	libbpf_print_fn_t old;
	struct bpf_object *o;
	enum bpfcc_rt_step step;
	bool seen_failed = false;
	size_t i = 0, n = 0;
	int err = 0;

	*count = 0;
	if (!cap || !bufs) {
		free(cap);
		free(bufs);
		return -ENOMEM;
	}
	old = rt_capture_begin(cap);
	o = rt_open(obj);
	if (!o) {
		rt_capture_end(old);
		free(cap);
		free(bufs);
		return errno ? -errno : -EINVAL;
	}
	bpf_object__for_each_program(p, o)
	{
		if (i >= obj->nprogs)
			break;
		if (bpf_program__autoload(p)) {
			bufs[i] = calloc(1, size);
			if (!bufs[i]) {
				err = -ENOMEM;
				break;
			}
			bpf_program__set_log_buf(p, bufs[i], size);
			bpf_program__set_log_level(p, cfg->level);
		}
		i++;
	}
	*load_err = err ? 0 : bpf_object__load(o);
	rt_capture_end(old);
	step = rt_classify(cap);
	i = 0;
	bpf_object__for_each_program(p, o)
	{
		struct bpfcc_rt_result *r;
		const char *name = bpf_program__name(p);

		if (err || i >= obj->nprogs)
			break;
		if (!bufs[i++])
			continue;
		r = rt_result_new(name, bpf_program__section_name(p));
		if (!r) {
			err = -ENOMEM;
			break;
		}
		res[n++] = r;
		bufs[i - 1][size - 1] = '\0';
		err = rt_result_take_log(r, bufs[i - 1]);
		if (!err)
			err = rt_capture_first_line(cap, &r->libbpf_msg);
		if (!*load_err) {
			r->verdict = BPFCC_RT_ACCEPTED;
			r->step = BPFCC_RT_STEP_NONE;
		} else if (step != BPFCC_RT_STEP_PROG_LOAD) {
			r->verdict = BPFCC_RT_FAILED;
			r->step = step;
			r->err = *load_err;
		} else if (rt_capture_names_prog(cap, name)) {
			seen_failed = true;
			rt_result_judge(r, *load_err, BPFCC_RT_STEP_PROG_LOAD);
		} else if (!seen_failed) {
			/* libbpf loads in this order: the ones before the failure loaded. */
			r->verdict = BPFCC_RT_ACCEPTED;
			r->step = BPFCC_RT_STEP_NONE;
		} else {
			r->verdict = BPFCC_RT_FAILED;
			r->step = BPFCC_RT_STEP_OTHER;
			err = rt_set_str(&r->libbpf_msg, "not loaded: an earlier program failed");
		}
	}
	bpf_object__close(o);
	for (i = 0; i < obj->nprogs; i++)
		free(bufs[i]);
	free(bufs);
	free(cap);
	*count = n;
	return err;
}

int bpfcc_rt_load_object(const struct bpfcc_rt_object *obj, const struct bpfcc_rt_load_opts *opts,
                         struct bpfcc_rt_result ***out, size_t *count)
{
	struct bpfcc_rt_result **res;
	struct rt_log_cfg cfg;
	size_t n = 0;
	int err, load_err = 0;

	*out = NULL;
	*count = 0;
	if (!obj)
		return -EINVAL;
	rt_log_cfg_init(&cfg, opts);
	res = calloc(obj->nprogs + 1, sizeof(*res));
	if (!res)
		return -ENOMEM;
	for (size_t size = cfg.size;; size *= 2) {
		for (size_t i = 0; i < n; i++)
			bpfcc_rt_result_free(res[i]);
		n = 0;
		err = rt_load_all_once(obj, &cfg, size, res, &n, &load_err);
		if (err || load_err != -ENOSPC || size * 2 > cfg.size_max)
			break;
	}
	if (err) {
		bpfcc_rt_results_free(res, n);
		return err;
	}
	for (size_t i = 0; i < n; i++)
		if (load_err == -ENOSPC && res[i]->verdict != BPFCC_RT_ACCEPTED)
			res[i]->log_truncated = true;
	*out = res;
	*count = n;
	return 0;
}
