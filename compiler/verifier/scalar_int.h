/*
 * scalar_int.h - helpers shared by the scalar domain's files (scalar.c, scalar_alu.c,
 * scalar_branch.c); not part of the verifier's interface.  Each is one of the kernel's
 * small bpf_reg_state helpers of kernel/bpf/verifier.c, named after it.
 */
#ifndef BPFCC_VERIFIER_SCALAR_INT_H
#define BPFCC_VERIFIER_SCALAR_INT_H

#include "verifier/scalar.h"

/* __mark_reg64_unbounded: forget the 64-bit ranges. */
void scalar_unbound64(struct scalar *s);
/* __mark_reg32_unbounded: forget the 32-bit ranges. */
void scalar_unbound32(struct scalar *s);
/* __mark_reg32_known: the subregister is exactly v, the upper half untouched. */
void scalar_mark_known32(struct scalar *s, uint32_t v);
/* __update_reg32_bounds: 32-bit ranges learnt from the tnum. */
void scalar_update_bounds32(struct scalar *s);
/* __update_reg_bounds: 32- then 64-bit ranges learnt from the tnum. */
void scalar_update_bounds(struct scalar *s);

#endif /* BPFCC_VERIFIER_SCALAR_INT_H */
