/*
 * object.c - check_object(): the object checks of check.h applied to a whole object read
 * by compiler/elf/, in the order libbpf's bpf_object__open() and load meet them.
 *
 * Not written yet: reports nothing.
 */
#include <errno.h>

#include "check/check.h"
#include "elf/object.h"

int check_object(const struct obj_file *obj, const struct check_options *opts,
		 struct diag_sink *sink)
{
	(void)opts;
	(void)sink;
	return obj ? 0 : -EINVAL;
}
