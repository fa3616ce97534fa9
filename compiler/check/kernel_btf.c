/*
 * kernel_btf.c - the target kernel's BTF as libbpf searches it: vmlinux first, then the
 * BTF of each loaded module (split BTF on top of vmlinux, /sys/kernel/btf/<module>).
 *
 * libbpf looks kfuncs, typed __ksym variables and the targets of fentry/fexit/fmod_ret/
 * lsm/tp_btf/iter programs up in vmlinux and, when vmlinux lacks the name, in every
 * module's BTF (find_ksym_btf_id, find_kernel_btf_id); the first module that has it wins.
 * Module BTFs are parsed only on the first name vmlinux does not have, as they are
 * rarely needed and a distribution kernel has a hundred or more of them.  Typeless
 * __ksym variables (`extern const void x __ksym`) are resolved by libbpf from the running
 * kernel's /proc/kallsyms instead, which holds data symbols only with CONFIG_KALLSYMS_ALL.
 */
#include <bpf/btf.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"

#define KBTF_MAX_MODULES 4096
#define KBTF_KALLSYMS    "/proc/kallsyms"

struct kbtf_module {
	char *name;
	struct btf *btf;
};

struct check_kernel_btf {
	const struct btf *vmlinux;
	char *dir; /* NULL: no modules */
	bool loaded;
	struct kbtf_module *mods;
	size_t nr_mods;
	/* the running kernel's kallsyms names, sorted; loaded on the first question */
	bool syms_loaded;
	char **syms;
	size_t nr_syms;
};

struct check_kernel_btf *check_kernel_btf_new(const struct btf *vmlinux, const char *module_dir)
{
	struct check_kernel_btf *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->vmlinux = vmlinux;
	if (module_dir && !(k->dir = strdup(module_dir))) {
		free(k);
		return NULL;
	}
	return k;
}

void check_kernel_btf_free(struct check_kernel_btf *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nr_mods; i++) {
		btf__free(k->mods[i].btf);
		free(k->mods[i].name);
	}
	free(k->mods);
	for (size_t i = 0; i < k->nr_syms; i++)
		free(k->syms[i]);
	free(k->syms);
	free(k->dir);
	free(k);
}

static int cmp_mod(const void *a, const void *b)
{
	return strcmp(((const struct kbtf_module *)a)->name, ((const struct kbtf_module *)b)->name);
}

/* Parses every module BTF of the directory (not vmlinux); unreadable ones are skipped,
 * as libbpf skips modules it cannot get. */
static void load_modules(struct check_kernel_btf *k)
{
	DIR *d;
	struct dirent *de;
	size_t cap = 0;

	k->loaded = true;
	if (!k->dir || !k->vmlinux || !(d = opendir(k->dir)))
		return;
	while ((de = readdir(d)) && k->nr_mods < KBTF_MAX_MODULES) {
		char path[4096];
		struct btf *b;

		if (de->d_name[0] == '.' || strcmp(de->d_name, "vmlinux") == 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", k->dir, de->d_name) >=
		    sizeof(path))
			continue;
		b = btf__parse_split(path, (struct btf *)k->vmlinux);
		if (!b)
			continue;
		if (k->nr_mods == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct kbtf_module *n = realloc(k->mods, ncap * sizeof(*n));

			if (!n) {
				btf__free(b);
				break;
			}
			k->mods = n;
			cap = ncap;
		}
		k->mods[k->nr_mods].name = strdup(de->d_name);
		if (!k->mods[k->nr_mods].name) {
			btf__free(b);
			break;
		}
		k->mods[k->nr_mods++].btf = b;
	}
	closedir(d);
	/* a stable order (the kernel's is by load time, which a directory does not give) */
	if (k->nr_mods)
		qsort(k->mods, k->nr_mods, sizeof(*k->mods), cmp_mod);
}

/* The module's own type of that name and kind (ids past the base's), or -ENOENT. */
static int find_own(const struct btf *mod, const struct btf *base, const char *name, unsigned kind)
{
	for (uint32_t id = btf__type_cnt(base); id < btf__type_cnt(mod); id++) {
		const struct btf_type *t = btf__type_by_id(mod, id);
		const char *n;

		if (!t || btf_kind(t) != kind)
			continue;
		n = btf__name_by_offset(mod, t->name_off);
		if (n && strcmp(n, name) == 0)
			return (int)id;
	}
	return -ENOENT;
}

int check_kernel_btf_find(struct check_kernel_btf *k, const char *name, unsigned kind,
                          const struct btf **btf, const char **module)
{
	int id;

	if (btf)
		*btf = NULL;
	if (module)
		*module = NULL;
	if (!k || !k->vmlinux)
		return -ENOENT;
	id = btf__find_by_name_kind(k->vmlinux, name, kind);
	if (id > 0) {
		if (btf)
			*btf = k->vmlinux;
		return id;
	}
	if (!k->loaded)
		load_modules(k);
	for (size_t i = 0; i < k->nr_mods; i++) {
		/* only the module's own types: ids past vmlinux's */
		id = find_own(k->mods[i].btf, k->vmlinux, name, kind);
		if (id > 0) {
			if (btf)
				*btf = k->mods[i].btf;
			if (module)
				*module = k->mods[i].name;
			return id;
		}
	}
	return -ENOENT;
}

int check_kernel_btf_module_index(struct check_kernel_btf *k, const char *module)
{
	for (size_t i = 0; k && module && i < k->nr_mods; i++)
		if (strcmp(k->mods[i].name, module) == 0)
			return (int)i;
	return -ENOENT;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads /proc/kallsyms' names as libbpf 1.1 does ("%llx %c %s", module suffix ignored). */
static void load_kallsyms(struct check_kernel_btf *k)
{
	char line[640], name[500];
	size_t cap = 0;
	FILE *f;

	k->syms_loaded = true;
	f = fopen(KBTF_KALLSYMS, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type;

		if (sscanf(line, "%llx %c %499s", &addr, &type, name) != 3)
			continue;
		if (k->nr_syms == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			char **n = realloc(k->syms, ncap * sizeof(*n));

			if (!n)
				break;
			k->syms = n;
			cap = ncap;
		}
		if (!(k->syms[k->nr_syms] = strdup(name)))
			break;
		k->nr_syms++;
	}
	fclose(f);
	if (k->nr_syms)
		qsort(k->syms, k->nr_syms, sizeof(*k->syms), cmp_str);
}

int check_kernel_kallsyms_has(struct check_kernel_btf *k, const char *name)
{
	if (!k || !k->dir)
		return -ENOENT; /* not the running kernel: unknown */
	if (!k->syms_loaded)
		load_kallsyms(k);
	if (!k->nr_syms)
		return -ENOENT;
	return bsearch(&name, k->syms, k->nr_syms, sizeof(*k->syms), cmp_str) != NULL;
}
