/*
 * expect.h - expectations for bpfcc's program tests, written next to the program.
 *
 * Like the kernel selftests' bpf_misc.h, each macro attaches a BTF declaration tag
 * ("bpfcc:<what>") to the program's function; the test runner reads them back from the
 * object's BTF (BTF_KIND_DECL_TAG, component_idx -1, on the FUNC) and checks the live
 * kernel's verdict against them, and bpfcc's own verdict too.
 *
 *   __success                  the kernel loads the program
 *   __failure                  the kernel verifier rejects it
 *   __msg("text")              the verifier log contains "text"; {{ERE}} inside the text
 *                              is a POSIX extended regular expression; several __msg /
 *                              __regex must match in order, as in the selftests
 *   __regex("ERE")             the log matches the regular expression
 *   __at_line(N)               the kernel's failing instruction comes from source line N
 *   __bpfcc_xfail("reason")    on a __failure program: a rule bpfcc does not detect yet.
 *                              The kernel side is still checked strictly; bpfcc accepting
 *                              it makes the test PENDING (a skip, never a pass), bpfcc
 *                              agreeing a failure (remove the marker)
 *
 * Compiler flags for a test file go on a line of their own near its top:
 *   // bpfcc-flags: -mcpu=v2
 */
#ifndef BPFCC_EXPECT_H
#define BPFCC_EXPECT_H

#define __bpfcc_expect(what) __attribute__((btf_decl_tag("bpfcc:" what)))

#define __success             __bpfcc_expect("success")
#define __failure             __bpfcc_expect("failure")
#define __msg(text)           __bpfcc_expect("msg=" text)
#define __regex(ere)          __bpfcc_expect("regex=" ere)
#define __at_line(n)          __bpfcc_expect("at_line=" #n)
#define __bpfcc_xfail(reason) __bpfcc_expect("xfail=" reason)

#endif
