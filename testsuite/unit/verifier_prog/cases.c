/*
 * cases.c - the program-type test programs (see cases.h).  Each rule has a program the
 * kernel loads and a near miss it refuses.
 */
#include "cases.h"
#include "../verifier_engine/insn_build.h"

#define PROG(...)                                                                                  \
	.insns = (const struct bpf_insn[]){__VA_ARGS__},                                           \
	.n = sizeof((const struct bpf_insn[]){__VA_ARGS__}) / sizeof(struct bpf_insn)
#define OK(nm, t, a, ...)                                                                          \
	{                                                                                          \
		.name = nm, .prog_type = t, .attach_type = a, .ok = true, PROG(__VA_ARGS__)        \
	}
#define BAD(nm, t, a, r, m, ...)                                                                   \
	{                                                                                          \
		.name = nm, .prog_type = t, .attach_type = a, .rule = r, .kmsg = m,                \
		PROG(__VA_ARGS__)                                                                  \
	}
#define RET(v)   MOV64_IMM(BPF_REG_0, v), EXIT()
#define RET32(v) MOV32_IMM(BPF_REG_0, v), EXIT()
#define RAND     CALL(BPF_FUNC_get_prandom_u32)
#define SKB      BPF_PROG_TYPE_CGROUP_SKB
#define ADDR     BPF_PROG_TYPE_CGROUP_SOCK_ADDR
#define RC       VRF_R_RETURN_CODE

const struct prog_case prog_cases[] = {
    /* cgroup_skb: ingress 0..1, egress 0..3 (congestion notification) */
    OK("skb_ingress_one", SKB, BPF_CGROUP_INET_INGRESS, RET(1)),
    BAD("skb_ingress_two", SKB, BPF_CGROUP_INET_INGRESS, RC,
        "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]", RET(2)),
    OK("skb_egress_three", SKB, BPF_CGROUP_INET_EGRESS, RET(3)),
    BAD("skb_egress_four", SKB, BPF_CGROUP_INET_EGRESS, RC,
        "At program exit the register R0 has smin=4 smax=4 should have been in [0, 3]", RET(4)),
    /* "return -EPERM" from an int function: the 32-bit -1, zero-extended */
    BAD("sysctl_eperm", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, RC,
        "At program exit the register R0 has smin=4294967295 smax=4294967295 should have "
        "been in [0, 1]",
        RET32(-1)),
    BAD("sysctl_neg64", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, RC,
        "At program exit the register R0 has smin=-1 smax=-1 should have been in [0, 1]", RET(-1)),
    /* a random number: the kernel names what it knows of the bounds */
    BAD("skb_random64", SKB, BPF_CGROUP_INET_INGRESS, RC,
        "At program exit the register R0 has unknown scalar value should have been in [0, 1]", RAND,
        EXIT()),
    BAD("skb_random32", SKB, BPF_CGROUP_INET_INGRESS, RC,
        "At program exit the register R0 has smin=0 smax=4294967295 should have been in [0, "
        "1]",
        RAND, MOV32_IMM(BPF_REG_1, 0), I_RAW(BPF_ALU | BPF_MOV | BPF_X, 0, 0, 0, 0), EXIT()),
    OK("skb_random_masked", SKB, BPF_CGROUP_INET_INGRESS, RAND, ALU64_IMM(BPF_AND, BPF_REG_0, 1),
       EXIT()),
    /* one path of two returns 2: the kernel judges each exit on its own path */
    BAD("skb_one_path", SKB, BPF_CGROUP_INET_INGRESS, RC,
        "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]", RAND,
        JMP_IMM(BPF_JEQ, BPF_REG_0, 7, 2), RET(1), RET(2)),
    /* recvmsg / getpeername hooks must return exactly 1 */
    OK("recvmsg_one", ADDR, BPF_CGROUP_UDP4_RECVMSG, RET(1)),
    BAD("recvmsg_zero", ADDR, BPF_CGROUP_UDP4_RECVMSG, RC,
        "At program exit the register R0 has smin=0 smax=0 should have been in [1, 1]", RET(0)),
    OK("bind_three", ADDR, BPF_CGROUP_INET4_BIND, RET(3)),
    /* a pointer is refused before its value is looked at */
    BAD("connect_ctx", ADDR, BPF_CGROUP_INET4_CONNECT, RC,
        "At program exit the register R0 is not a known value (ctx)",
        MOV64_REG(BPF_REG_0, BPF_REG_1), EXIT()),
    BAD("sk_lookup_two", BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, RC,
        "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]", RET(2)),
    BAD("sock_ops_minus", BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS, RC,
        "At program exit the register R0 has smin=-1 smax=-1 should have been in [0, 1]", RET(-1)),
    /* types that take any value */
    OK("socket_filter_any", BPF_PROG_TYPE_SOCKET_FILTER, 0, RET(-22)),
    OK("xdp_any", BPF_PROG_TYPE_XDP, BPF_XDP, RET(1000)),
    OK("kprobe_any", BPF_PROG_TYPE_KPROBE, 0, RET(-1)),
    /* the helper allow-list: skb_store_bytes is a tc helper; dead code is not looked at */
    BAD("filter_store_bytes", BPF_PROG_TYPE_SOCKET_FILTER, 0, VRF_R_HELPER_PROG_TYPE,
        "program of this type cannot use helper bpf_skb_store_bytes#9",
        CALL(BPF_FUNC_skb_store_bytes), RET(0)),
    OK("filter_store_bytes_dead", BPF_PROG_TYPE_SOCKET_FILTER, 0, MOV64_IMM(BPF_REG_0, 0),
       JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 1), CALL(BPF_FUNC_skb_store_bytes), RET(0)),
    BAD("xdp_get_socket_cookie", BPF_PROG_TYPE_XDP, BPF_XDP, VRF_R_HELPER_PROG_TYPE,
        "program of this type cannot use helper bpf_get_socket_cookie#46",
        CALL(BPF_FUNC_get_socket_cookie), RET(0)),
    /* helpers that might sleep need a sleepable program */
    BAD("kprobe_copy_from_user", BPF_PROG_TYPE_KPROBE, 0, VRF_R_SLEEPABLE,
        "helper call might sleep in a non-sleepable prog", MOV64_REG(BPF_REG_1, BPF_REG_10),
        ALU64_IMM(BPF_ADD, BPF_REG_1, -8), MOV64_IMM(BPF_REG_2, 8), MOV64_IMM(BPF_REG_3, 0),
        CALL(BPF_FUNC_copy_from_user), RET(0)),
    /* every type is offered it (bpf_base_func_proto) and refuses it as sleeping */
    BAD("tracepoint_copy_from_user", BPF_PROG_TYPE_TRACEPOINT, 0, VRF_R_SLEEPABLE,
        "helper call might sleep in a non-sleepable prog", MOV64_REG(BPF_REG_1, BPF_REG_10),
        ALU64_IMM(BPF_ADD, BPF_REG_1, -8), MOV64_IMM(BPF_REG_2, 8), MOV64_IMM(BPF_REG_3, 0),
        CALL(BPF_FUNC_copy_from_user), RET(0)),
    BAD("perf_event_copy_from_user_task", BPF_PROG_TYPE_PERF_EVENT, 0, VRF_R_SLEEPABLE,
        "helper call might sleep in a non-sleepable prog", CALL(BPF_FUNC_copy_from_user_task),
        RET(0)),
    BAD("xdp_copy_from_user", BPF_PROG_TYPE_XDP, BPF_XDP, VRF_R_SLEEPABLE,
        "helper call might sleep in a non-sleepable prog", CALL(BPF_FUNC_copy_from_user), RET(0)),
};

const size_t prog_ncases = sizeof(prog_cases) / sizeof(prog_cases[0]);

struct vrf_options prog_case_options(const struct prog_case *c)
{
	struct vrf_options o = {.prog_type = c->prog_type,
	                        .flags = VRF_F_ATTACH_TYPE,
	                        .expected_attach_type = (int32_t)c->attach_type};

	return o;
}
