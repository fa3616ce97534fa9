/*
 * license.c - the program license, as libbpf passes it and the kernel judges it.
 *
 * libbpf copies the "license" section into a 64-byte buffer with strlcpy semantics: the
 * string ends at the first NUL, or after the section's bytes, truncated to 63 bytes; no
 * section means "" (libbpf's default).  The kernel then calls license_is_gpl_compatible()
 * on it (licenses.def); a program that is not GPL-compatible may not call gpl_only helpers
 * ("cannot call GPL-restricted function from non-GPL compatible program").
 */
#include "check/check.h"

#include <stdio.h>
#include <string.h>

#define LIBBPF_LICENSE_MAX 64 /* sizeof(obj->license) in libbpf */

static const char *const gpl_licenses[] = {
#define CHECK_LICENSE(s) s,
#include "check/licenses.def"
#undef CHECK_LICENSE
};

bool check_license_is_gpl(const char *lic)
{
	size_t i;

	if (!lic)
		return false;
	for (i = 0; i < sizeof(gpl_licenses) / sizeof(gpl_licenses[0]); i++)
		if (strcmp(lic, gpl_licenses[i]) == 0)
			return true;
	return false;
}

int check_license(const char *lic, size_t len, bool nul_terminated, const struct diag_loc *loc,
                  struct diag_sink *sink, bool *gpl)
{
	char buf[LIBBPF_LICENSE_MAX];
	size_t n;

	if (gpl)
		*gpl = false;
	if (!lic) {
		struct diag d = {
		    .level = DIAG_WARNING,
		    .rule = "check-license-missing",
		    .loc = loc ? *loc : (struct diag_loc){0},
		    .insn = -1,
		    .message = "the object has no license section",
		    .explanation = "without one the kernel sees an empty license: the program "
		                   "is not GPL-compatible and may not call GPL-only helpers",
		    .hint = "add: char LICENSE[] SEC(\"license\") = \"GPL\";",
		};
		diag_emit(sink, &d);
		return 0;
	}
	n = strnlen(lic, len);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, lic, n);
	buf[n] = '\0';

	if (!nul_terminated && strnlen(lic, len) == len)
		diag_warnf(sink, "check-license-unterminated", loc,
		           "the license section (%zu bytes) is not NUL-terminated; libbpf reads "
		           "\"%s\"",
		           len, buf);
	if (n == 0) {
		diag_warnf(sink, "check-license-empty", loc,
		           "the license string is empty: the program is not GPL-compatible");
		return 0;
	}
	if (strnlen(lic, len) >= sizeof(buf))
		diag_warnf(sink, "check-license-truncated", loc,
		           "the license string is longer than %d bytes; libbpf passes only \"%s\"",
		           LIBBPF_LICENSE_MAX - 1, buf);
	if (gpl)
		*gpl = check_license_is_gpl(buf);
	/* Mentions the GPL but is not one of the exact strings: probably meant to be. */
	if (!check_license_is_gpl(buf) && strcasestr(buf, "gpl"))
		diag_warnf(sink, "check-license-not-gpl", loc,
		           "license \"%s\" is not GPL-compatible for the kernel, which accepts "
		           "only \"GPL\", \"GPL v2\", \"GPL and additional rights\", \"Dual "
		           "BSD/GPL\", \"Dual MIT/GPL\" and \"Dual MPL/GPL\"",
		           buf);
	return 0;
}
