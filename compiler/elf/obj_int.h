/*
 * obj_int.h - internal state of the object reader, shared by its steps (obj_open.c,
 * obj_progs.c, obj_btf.c, obj_maps.c, obj_data.c, obj_btf_ext.c).  Not a public header.
 *
 * Each step takes the context, fills its part of the object and returns 0, or reports one
 * error through obj_err() and returns a negative errno; obj_open_mem() stops at the first
 * failing step.
 */
#ifndef BPFCC_ELF_OBJ_INT_H
#define BPFCC_ELF_OBJ_INT_H

#include <stdint.h>
#include <string.h>
#include <linux/btf.h>

#include "diag/diag.h"
#include "elf/object.h"

struct obj_ctx {
	struct obj_file *obj;
	struct diag_sink *sink;
};

/* Reports an error about the object (location: the object's name) and returns -EINVAL. */
int obj_err(struct obj_ctx *ctx, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports a warning about the object. */
void obj_warn(struct obj_ctx *ctx, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* true when [off, off + len) lies inside [0, size), without overflow. */
static inline bool obj_range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static inline uint32_t obj_rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Steps, in the order obj_open_mem() runs them. */
int obj_read_sections(struct obj_ctx *ctx); /* obj_open.c: header, sections */
int obj_read_symbols(struct obj_ctx *ctx);  /* obj_open.c: .symtab */
int obj_read_btf(struct obj_ctx *ctx);      /* obj_btf.c: .BTF */
int obj_read_data(struct obj_ctx *ctx);     /* obj_data.c: global data, license, version */
int obj_read_externs(struct obj_ctx *ctx);  /* obj_data.c: undefined symbols */
int obj_read_maps(struct obj_ctx *ctx);     /* obj_maps.c: .maps */
int obj_read_progs(struct obj_ctx *ctx);    /* obj_progs.c: programs and subprograms */
int obj_read_relocs(struct obj_ctx *ctx);   /* obj_progs.c: .rel<sec> */
int obj_read_btf_ext(struct obj_ctx *ctx);  /* obj_btf_ext.c: .BTF.ext */

/* Section lookups: index of the section called `name`, or -1. */
int obj_find_section(const struct obj_file *obj, const char *name);

/* BTF helpers (obj_btf.c); only valid after obj_read_btf() succeeded. */
/* Id of the DATASEC named `name`, 0 if none. */
uint32_t obj_btf_find_datasec(const struct obj_file *obj, const char *name);
/* Id of the VAR or FUNC named `name` listed in DATASEC `datasec_id`, 0 if none. */
uint32_t obj_btf_datasec_member(const struct obj_file *obj, uint32_t datasec_id, const char *name);
/* Follows typedefs and cv-qualifiers; returns 0 on a loop or a bad id. */
uint32_t obj_btf_skip_mods(const struct obj_file *obj, uint32_t id);

#endif
