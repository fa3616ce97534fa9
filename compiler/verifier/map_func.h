/*
 * map_func.h - the kernel's check_map_func_compatibility() as data (map_func.def): which map
 * types a helper may be given, which helpers a map type may be given to, and
 * may_update_sockmap()'s program types.  Pure lookups: no allocation, no state.
 *
 * The kernel runs the check after a helper call's arguments passed theirs and refuses with
 * "cannot pass map_type %d into func %s#%d" (-EINVAL); bpf_tail_call's map is refused
 * earlier, while its arguments are checked, as "expected prog array map for tail call".
 */
#ifndef BPFCC_VERIFIER_MAP_FUNC_H
#define BPFCC_VERIFIER_MAP_FUNC_H

#include <stddef.h>
#include <stdint.h>

/* The kernel release the table was read for and checked against. */
#define VRF_MAP_FUNC_KERNEL "6.18"

/*
 * May a map of type map_type be passed to helper func_id in a program of prog_type /
 * attach_type (-1: none)?  0 when the kernel lets it through (also for a helper or map type
 * the table does not know); 1 when it refuses, with its message (no newline) in msg (len
 * bytes, may be 0).
 */
int vrf_map_func_check(uint32_t func_id, uint32_t map_type, uint32_t prog_type, int32_t attach_type,
                       char *msg, size_t len);

/* Does bpf_for_each_map_elem refuse maps of this type ("callback function not allowed for
 * map")?  0 for the types that have callbacks and for types the table does not know. */
int vrf_map_func_callback_refused(uint32_t map_type);

/* Is prog_type a tracing program type (is_tracing_prog_type(): kprobe, tracepoint,
 * perf_event, raw_tracepoint[_writable])?  Those may use no map whose value holds a timer
 * or a work queue. */
int vrf_map_func_tracing_prog(uint32_t prog_type);

/* May a sleepable program name a map of this type (check_map_prog_compatibility(),
 * VRF_MAP_SLEEPABLE rows)?  1 also for a type newer than the table. */
int vrf_map_func_sleepable_ok(uint32_t map_type);

/* Does the helper's side restrict func_id to some map types (a VRF_FUNC_ONLY row)? */
int vrf_map_func_restricted(uint32_t func_id);

/*
 * The map types func_id may be given when only some are (VRF_FUNC_ONLY rows), comma
 * separated as the kernel's uapi names them without prefix ("perf_event_array"), into buf;
 * returns the number of types, 0 (buf "") when the helper's side does not restrict it.
 */
int vrf_map_func_wanted(uint32_t func_id, char *buf, size_t len);

#endif
