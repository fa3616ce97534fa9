/*
 * cases.c - the helper/map compatibility test programs (see cases.h): for each rule a pair
 * the kernel refuses and the correct pair it loads.
 */
#include <string.h>

#include "cases.h"
#include "../verifier_engine/insn_build.h"

#define PROG(...)                                                                                  \
	.insns = (const struct bpf_insn[]){__VA_ARGS__},                                           \
	.n = sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)
#define OK(nm, t, a, m, ...)                                                                       \
	{                                                                                          \
		.name = nm, .prog_type = t, .attach_type = a, .maps = {m}, .ok = true,             \
		PROG(__VA_ARGS__)                                                                  \
	}
#define BAD(nm, t, a, m, msg, ...)                                                                 \
	{                                                                                          \
		.name = nm, .prog_type = t, .attach_type = a, .maps = {m}, .rule = VRF_R_MAP_FUNC, \
		.kmsg = msg, PROG(__VA_ARGS__)                                                     \
	}
/* r<d> = the map of ld_imm64 imm i */
#define LD_MAP(d, i)                                                                               \
	I_RAW(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, i), I_RAW(0, 0, 0, 0, 0)
#define RET0 MOV64_IMM(BPF_REG_0, 0), EXIT()
/* fp-8 = 0, r<d> = fp-8 */
#define KEY(d)                                                                                     \
	ST_MEM(BPF_DW, BPF_REG_10, -8, 0), MOV64_REG(d, BPF_REG_10), ALU64_IMM(BPF_ADD, d, -8)

/* bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, fp-8, 8) */
#define PERF_OUTPUT                                                                                \
	KEY(BPF_REG_4), LD_MAP(BPF_REG_2, 0), MOV32_IMM(BPF_REG_3, -1), MOV64_IMM(BPF_REG_5, 8),   \
	    CALL(BPF_FUNC_perf_event_output), RET0
/* bpf_ringbuf_output(map, fp-8, 8, 0) */
#define RB_OUTPUT                                                                                  \
	KEY(BPF_REG_2), LD_MAP(BPF_REG_1, 0), MOV64_IMM(BPF_REG_3, 8), MOV64_IMM(BPF_REG_4, 0),    \
	    CALL(BPF_FUNC_ringbuf_output), RET0
/* bpf_map_lookup_elem(map, fp-8) */
#define LOOKUP KEY(BPF_REG_2), LD_MAP(BPF_REG_1, 0), CALL(BPF_FUNC_map_lookup_elem), RET0
/* bpf_map_delete_elem(map, fp-8) */
#define DELETE KEY(BPF_REG_2), LD_MAP(BPF_REG_1, 0), CALL(BPF_FUNC_map_delete_elem), RET0
/* bpf_tail_call(ctx, map, 0) */
#define TAIL LD_MAP(BPF_REG_2, 0), MOV64_IMM(BPF_REG_3, 0), CALL(BPF_FUNC_tail_call), RET0
/* bpf_get_stackid(ctx, map, 0) */
#define STACKID LD_MAP(BPF_REG_2, 0), MOV64_IMM(BPF_REG_3, 0), CALL(BPF_FUNC_get_stackid), RET0
/* bpf_redirect_map(map, 0, 0) */
#define REDIRECT                                                                                   \
	LD_MAP(BPF_REG_1, 0), MOV64_IMM(BPF_REG_2, 0), MOV64_IMM(BPF_REG_3, 0),                    \
	    CALL(BPF_FUNC_redirect_map), EXIT()

#define TC     BPF_PROG_TYPE_SCHED_CLS
#define KPROBE BPF_PROG_TYPE_KPROBE
#define XDP    BPF_PROG_TYPE_XDP

const struct mapfunc_case mapfunc_cases[] = {
    /* the helper's side: perf output into a hash, a perf buffer given to the ring buffer */
    BAD("perf_output_hash", TC, 0, BPF_MAP_TYPE_HASH,
        "cannot pass map_type 1 into func bpf_perf_event_output#25", PERF_OUTPUT),
    OK("perf_output_perf_array", TC, 0, BPF_MAP_TYPE_PERF_EVENT_ARRAY, PERF_OUTPUT),
    BAD("ringbuf_output_perf_array", TC, 0, BPF_MAP_TYPE_PERF_EVENT_ARRAY,
        "cannot pass map_type 4 into func bpf_ringbuf_output#130", RB_OUTPUT),
    OK("ringbuf_output_ringbuf", TC, 0, BPF_MAP_TYPE_RINGBUF, RB_OUTPUT),
    BAD("perf_output_ringbuf", TC, 0, BPF_MAP_TYPE_RINGBUF,
        "cannot pass map_type 27 into func bpf_perf_event_output#25", PERF_OUTPUT),
    /* the map's side: lookups in maps that have no elements to read */
    BAD("lookup_perf_array", TC, 0, BPF_MAP_TYPE_PERF_EVENT_ARRAY,
        "cannot pass map_type 4 into func bpf_map_lookup_elem#1", LOOKUP),
    BAD("lookup_prog_array", TC, 0, BPF_MAP_TYPE_PROG_ARRAY,
        "cannot pass map_type 3 into func bpf_map_lookup_elem#1", LOOKUP),
    BAD("lookup_stack_trace", KPROBE, 0, BPF_MAP_TYPE_STACK_TRACE,
        "cannot pass map_type 7 into func bpf_map_lookup_elem#1", LOOKUP),
    OK("lookup_hash", TC, 0, BPF_MAP_TYPE_HASH, LOOKUP),
    OK("lookup_devmap", TC, 0, BPF_MAP_TYPE_DEVMAP, LOOKUP),
    /* tail calls through a program array only, refused while the arguments are checked */
    BAD("tail_call_array", TC, 0, BPF_MAP_TYPE_ARRAY, "expected prog array map for tail call",
        TAIL),
    OK("tail_call_prog_array", TC, 0, BPF_MAP_TYPE_PROG_ARRAY, TAIL),
    /* stack ids into a stack trace map */
    BAD("stackid_hash", KPROBE, 0, BPF_MAP_TYPE_HASH,
        "cannot pass map_type 1 into func bpf_get_stackid#27", STACKID),
    OK("stackid_stack_trace", KPROBE, 0, BPF_MAP_TYPE_STACK_TRACE, STACKID),
    /* XDP redirects through a CPU map, not a hash */
    BAD("redirect_map_hash", XDP, BPF_XDP, BPF_MAP_TYPE_HASH,
        "cannot pass map_type 1 into func bpf_redirect_map#51", REDIRECT),
    OK("redirect_map_cpumap", XDP, BPF_XDP, BPF_MAP_TYPE_CPUMAP, REDIRECT),
    /* may_update_sockmap(): tc may delete from a sockmap, a kprobe may not */
    OK("sockmap_delete_tc", TC, 0, BPF_MAP_TYPE_SOCKMAP, DELETE),
    BAD("sockmap_delete_kprobe", KPROBE, 0, BPF_MAP_TYPE_SOCKMAP,
        "cannot pass map_type 15 into func bpf_map_delete_elem#3", DELETE),
    BAD("delete_cpumap", XDP, BPF_XDP, BPF_MAP_TYPE_CPUMAP,
        "cannot pass map_type 16 into func bpf_map_delete_elem#3", DELETE),
};
const size_t mapfunc_ncases = sizeof(mapfunc_cases) / sizeof(mapfunc_cases[0]);

void mapfunc_map_info(uint32_t type, struct vrf_map_info *out)
{
	memset(out, 0, sizeof(*out));
	out->type = type;
	out->key_size = 4;
	out->value_size = 4;
	out->max_entries = 1;
	switch (type) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_ARRAY:
		out->value_size = 8;
		break;
	case BPF_MAP_TYPE_STACK_TRACE:
		out->value_size = 64;
		break;
	case BPF_MAP_TYPE_RINGBUF:
		out->key_size = 0;
		out->value_size = 0;
		out->max_entries = 4096;
		break;
	default:
		break;
	}
}

static int mapfunc_info_fn(void *ctx, uint8_t src_reg, int32_t imm, struct vrf_map_info *out)
{
	const struct mapfunc_maps *m = ctx;
	int i;

	if (src_reg != BPF_PSEUDO_MAP_FD)
		return -1;
	for (i = 0; i < m->n; i++)
		if (m->fds[i] == imm) {
			mapfunc_map_info(m->types[i], out);
			return 0;
		}
	return -1;
}

struct vrf_options mapfunc_case_options(const struct mapfunc_case *c,
                                        const struct mapfunc_maps *maps)
{
	struct vrf_options o = {.prog_type = c->prog_type,
	                        .map_info_fn = mapfunc_info_fn,
	                        .map_info_ctx = (void *)maps};

	if (c->attach_type) {
		o.flags |= VRF_F_ATTACH_TYPE;
		o.expected_attach_type = (int32_t)c->attach_type;
	}
	return o;
}
