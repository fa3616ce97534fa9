/*
 * ctx_offset_args.bpf.c - the context pointer must stay unmodified also where it is not
 * dereferenced: passed to a helper (check_func_arg_reg_off(): "negative offset ctx ptr",
 * "dereference of modified ctx ptr") or to a global function taking the context
 * ("Caller passes invalid args into func#%d"); and no program type's context has fields
 * before its start ("invalid bpf_context access off=-8").
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

#define __naked __attribute__((naked))
#define __imm(name) [name] "i"(name)

/* bpf_csum_update(skb - 8, 0) */
SEC("tc")
__failure __msg("negative offset ctx ptr R1 off=-8 disallowed") __at_line(20)
__naked void helper_ctx_below(void)
{
	asm volatile("r1 += -8;"
	             "r2 = 0;"
	             "call %[bpf_csum_update];"
	             "r0 = 0;"
	             "exit;"
	             :
	             : __imm(bpf_csum_update)
	             : "r0", "r1", "r2", "r3", "r4", "r5", "memory");
}

/* bpf_get_socket_cookie(skb + 16) */
SEC("socket")
__failure __msg("dereference of modified ctx ptr R1 off=16 disallowed") __at_line(35)
__naked void helper_ctx_moved(void)
{
	asm volatile("r1 += 16;"
	             "call %[bpf_get_socket_cookie];"
	             "r0 = 0;"
	             "exit;"
	             :
	             : __imm(bpf_get_socket_cookie)
	             : "r0", "r1", "r2", "r3", "r4", "r5", "memory");
}

/* a kprobe reading 8 bytes before struct pt_regs */
SEC("kprobe/do_nanosleep")
__failure __msg("invalid bpf_context access off=-8 size=8") __at_line(49)
int ctx_read_before_start(void *ctx)
{
	return *(volatile long *)((char *)ctx - 8) != 0;
}

__attribute__((noinline)) int skb_len_of(struct __sk_buff *skb)
{
	return skb ? skb->len : 0;
}

/* the global function takes the context: a pointer moved inside it is refused */
SEC("tc")
__failure __msg("Caller passes invalid args into func#1") __at_line(62)
int global_ctx_moved(struct __sk_buff *skb)
{
	return skb_len_of(skb + 1);
}

char LICENSE[] SEC("license") = "GPL";
