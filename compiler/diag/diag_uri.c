/*
 * diag_uri.c - file names as the URIs SARIF consumers want.
 *
 * GitHub code scanning (and other SARIF viewers) place a result in the repository by its
 * artifactLocation: a URI reference relative to the checkout, marked with the uriBaseId
 * "%SRCROOT%", is what they match against the files of the commit; an absolute file://
 * URI is only understood when it lies under the checkout.  bpfcc's file names come from
 * the command line and from the objects' BTF line information, where clang records them
 * as it was given them, often absolute.  So every name is first made absolute (against
 * the source root, the current directory by default) and normalised ("." and ".."
 * segments, repeated slashes) without touching the file system; a name under the source
 * root becomes a relative reference, any other an absolute file:// URI.  Both are
 * percent-encoded as RFC 3986 requires of a path.
 */
#include "diag/diag_int.h"

#include <stdlib.h>
#include <string.h>

/* RFC 3986 characters that a path segment may hold as they are (':' excepted: in a
 * relative reference's first segment it would read as a scheme). */
static bool uri_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~!$&'()*+,;=@/", c) != NULL);
}

static char *percent_encode(const char *prefix, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(path);
	char *buf = malloc(strlen(prefix) + 3 * len + 1);
	char *p;

	if (!buf)
		return NULL;
	p = stpcpy(buf, prefix);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];

		if (uri_plain(c)) {
			*p++ = (char)c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return buf;
}

/* `path` made absolute against `root` (absolute) and normalised: "/a/b/c", "/" for the
 * root directory.  malloc'd; NULL on ENOMEM. */
static char *normalise(const char *root, const char *path)
{
	size_t rl = path[0] == '/' ? 0 : strlen(root);
	char *in = malloc(rl + strlen(path) + 2), *out, *seg, *save = NULL;
	size_t n = 0;

	if (!in)
		return NULL;
	if (rl)
		memcpy(in, root, rl);
	in[rl] = '/';
	strcpy(in + rl + 1, path);
	out = malloc(strlen(in) + 2);
	if (!out) {
		free(in);
		return NULL;
	}
	for (seg = strtok_r(in, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--; /* the slash; ".." of the root is the root */
			continue;
		}
		out[n++] = '/';
		memcpy(out + n, seg, strlen(seg));
		n += strlen(seg);
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	free(in);
	return out;
}

char *diag_file_uri(const char *file, const char *root, bool *relative)
{
	char *abs, *nroot = NULL, *uri;
	size_t n;

	*relative = false;
	if (!root || root[0] != '/') {
		/* no source root known: relative names stay as they are */
		if (file[0] == '/')
			return percent_encode("file://", file);
		while (file[0] == '.' && file[1] == '/')
			file += 2;
		*relative = true;
		return percent_encode("", file);
	}
	abs = normalise(root, file);
	nroot = normalise(root, ".");
	if (!abs || !nroot) {
		free(abs);
		free(nroot);
		return NULL;
	}
	n = strlen(nroot);
	if (n == 1) /* the root is "/": everything is under it */
		n = 0;
	if (!strncmp(abs, nroot, n) && abs[n] == '/' && abs[n + 1]) {
		*relative = true;
		uri = percent_encode("", abs + n + 1);
	} else {
		uri = percent_encode("file://", abs);
	}
	free(abs);
	free(nroot);
	return uri;
}
