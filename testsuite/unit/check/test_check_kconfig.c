/*
 * test_check_kconfig.c - the __kconfig pieces of compiler/check/kconfig.c without an
 * object: the C types libbpf 1.1 accepts (built as BTF here), a config text parsed as
 * libbpf reads it, and the values (or libbpf's refusals) each type gets.  The live
 * counterpart, objects loaded with libbpf against the running kernel's config, is
 * unit/check_object_kernel.
 */
#include <bpf/btf.h>
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "check/check.h"

static const char config[] = "#\n"
                             "# Automatically generated file; DO NOT EDIT.\n"
                             "CONFIG_YES=y\n"
                             "CONFIG_MOD=m\n"
                             "# CONFIG_OFF is not set\n"
                             "CONFIG_NO=n\n"
                             "CONFIG_HZ=250\n"
                             "CONFIG_HZ=1000\n" /* libbpf keeps the first */
                             "CONFIG_BIG=0x1000000\n"
                             "CONFIG_NEG=-1\n"
                             "CONFIG_STR=\"-generic\"\n"
                             "CONFIG_BADSTR=\"open\n"
                             "CONFIG_NUMX=12abc\n"
                             "CONFIG_EMPTY=\n"
                             "NOT_CONFIG=1\n";

static struct btf *btf;
static int id_bool, id_char, id_u16, id_s32, id_u64, id_tri, id_str, id_arr_int, id_u8x3;

static void build_btf(void)
{
	int id_int;

	btf = btf__new_empty();
	ck_assert_ptr_nonnull(btf);
	id_bool = btf__add_int(btf, "_Bool", 1, BTF_INT_BOOL);
	id_char = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	id_u16 = btf__add_int(btf, "unsigned short", 2, 0);
	id_s32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	id_u64 = btf__add_int(btf, "unsigned long long", 8, 0);
	id_tri = btf__add_enum(btf, "libbpf_tristate", 4);
	btf__add_enum_value(btf, "TRI_NO", 0);
	btf__add_enum_value(btf, "TRI_YES", 1);
	btf__add_enum_value(btf, "TRI_MODULE", 2);
	id_str = btf__add_array(btf, id_s32, id_char, 4);
	id_int = id_s32;
	id_arr_int = btf__add_array(btf, id_s32, id_int, 2);
	id_u8x3 = btf__add_int(btf, "__int128", 16, BTF_INT_SIGNED); /* wider than 8 */
	ck_assert_int_gt(id_u8x3, 0);
}

static struct check_kcfg_ext ext_of(const char *name, int type_id, bool weak)
{
	struct check_kcfg_ext e = {.name = name, .weak = weak};

	check_kcfg_type(btf, (uint32_t)type_id, &e);
	e.name = name;
	e.weak = weak;
	return e;
}

START_TEST(test_types)
{
	struct check_kcfg_ext e;

	build_btf();
	ck_assert_int_eq(check_kcfg_type(btf, id_bool, &e), 0);
	ck_assert_int_eq(e.type, CHECK_KCFG_BOOL);
	ck_assert_int_eq(check_kcfg_type(btf, id_char, &e), 0);
	ck_assert_int_eq(e.type, CHECK_KCFG_CHAR);
	ck_assert_int_eq(check_kcfg_type(btf, id_u16, &e), 0);
	ck_assert(e.type == CHECK_KCFG_INT && e.size == 2 && !e.is_signed);
	ck_assert_int_eq(check_kcfg_type(btf, id_s32, &e), 0);
	ck_assert(e.type == CHECK_KCFG_INT && e.size == 4 && e.is_signed);
	ck_assert_int_eq(check_kcfg_type(btf, id_tri, &e), 0);
	ck_assert_int_eq(e.type, CHECK_KCFG_TRISTATE);
	ck_assert_int_eq(check_kcfg_type(btf, id_str, &e), 0);
	ck_assert(e.type == CHECK_KCFG_CHAR_ARR && e.size == 4);
	ck_assert_int_eq(check_kcfg_type(btf, id_arr_int, &e), -EINVAL);
	ck_assert_int_eq(e.type, CHECK_KCFG_UNKNOWN);
	ck_assert_int_eq(check_kcfg_type(btf, id_u8x3, &e), -EINVAL);
	ck_assert_int_eq(check_kcfg_type(btf, 9999, &e), -EINVAL);
	btf__free(btf);
}
END_TEST

START_TEST(test_parse)
{
	struct check_kconfig *kc = check_kconfig_parse(config, sizeof(config) - 1);

	ck_assert_ptr_nonnull(kc);
	ck_assert_str_eq(check_kconfig_get(kc, "CONFIG_YES"), "y");
	ck_assert_str_eq(check_kconfig_get(kc, "CONFIG_HZ"), "250");
	ck_assert_str_eq(check_kconfig_get(kc, "CONFIG_STR"), "\"-generic\"");
	ck_assert_ptr_null(check_kconfig_get(kc, "CONFIG_OFF"));
	ck_assert_ptr_null(check_kconfig_get(kc, "CONFIG_EMPTY"));
	ck_assert_ptr_null(check_kconfig_get(kc, "NOT_CONFIG"));
	ck_assert_uint_eq(check_kconfig_kernel_version(kc), 0);
	check_kconfig_free(kc);
}
END_TEST

/* resolve `name` as type `type_id`; the return value, the bytes in out[], libbpf's reason */
static int resolve(struct check_kconfig *kc, const char *name, int type_id, bool weak, uint8_t *out,
                   char *why)
{
	struct check_kcfg_ext e = ext_of(name, type_id, weak);

	memset(out, 0xaa, 8);
	return check_kcfg_resolve(&e, kc, out, why, 160);
}

START_TEST(test_values)
{
	struct check_kconfig *kc = check_kconfig_parse(config, sizeof(config) - 1);
	uint8_t out[8];
	char why[160];
	uint64_t v64;
	uint32_t v32;

	build_btf();
	/* y/n/m */
	ck_assert_int_eq(resolve(kc, "CONFIG_YES", id_bool, false, out, why), 0);
	ck_assert_uint_eq(out[0], 1);
	ck_assert_int_eq(resolve(kc, "CONFIG_NO", id_bool, false, out, why), 0);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_int_eq(resolve(kc, "CONFIG_MOD", id_bool, false, out, why), -EINVAL);
	ck_assert_str_eq(why, "value 'm' implies tristate or char type");
	ck_assert_int_eq(resolve(kc, "CONFIG_MOD", id_tri, false, out, why), 0);
	memcpy(&v32, out, 4);
	ck_assert_uint_eq(v32, 2);
	ck_assert_int_eq(resolve(kc, "CONFIG_MOD", id_char, false, out, why), 0);
	ck_assert_uint_eq(out[0], 'm');
	ck_assert_int_eq(resolve(kc, "CONFIG_YES", id_s32, false, out, why), -EINVAL);
	ck_assert_str_eq(why, "value 'y' implies bool, tristate, or char type");
	/* numbers */
	ck_assert_int_eq(resolve(kc, "CONFIG_HZ", id_s32, false, out, why), 0);
	memcpy(&v32, out, 4);
	ck_assert_uint_eq(v32, 250);
	ck_assert_int_eq(resolve(kc, "CONFIG_HZ", id_char, false, out, why), -ERANGE);
	ck_assert_str_eq(why, "value '250' doesn't fit in 1 bytes");
	ck_assert_int_eq(resolve(kc, "CONFIG_HZ", id_bool, false, out, why), -EINVAL);
	ck_assert_str_eq(why, "value '250' implies integer type");
	ck_assert_int_eq(resolve(kc, "CONFIG_BIG", id_u64, false, out, why), 0);
	memcpy(&v64, out, 8);
	ck_assert_uint_eq(v64, 0x1000000);
	ck_assert_int_eq(resolve(kc, "CONFIG_BIG", id_u16, false, out, why), -ERANGE);
	/* strtoull takes "-1" as 2^64-1: a signed integer holds it, an unsigned one only at
	 * 8 bytes */
	ck_assert_int_eq(resolve(kc, "CONFIG_NEG", id_s32, false, out, why), 0);
	memcpy(&v32, out, 4);
	ck_assert_uint_eq(v32, 0xffffffffu);
	ck_assert_int_eq(resolve(kc, "CONFIG_NEG", id_u16, false, out, why), -ERANGE);
	ck_assert_int_eq(resolve(kc, "CONFIG_NEG", id_u64, false, out, why), 0);
	ck_assert_int_eq(resolve(kc, "CONFIG_NUMX", id_s32, false, out, why), -EINVAL);
	ck_assert_str_eq(why, "value '12abc' isn't a valid integer");
	/* strings */
	ck_assert_int_eq(resolve(kc, "CONFIG_STR", id_str, false, out, why), 0);
	ck_assert_str_eq((char *)out, "-ge"); /* truncated to the array */
	ck_assert_int_eq(resolve(kc, "CONFIG_STR", id_u64, false, out, why), -EINVAL);
	ck_assert_str_eq(why, "value '\"-generic\"' implies char array type");
	ck_assert_int_eq(resolve(kc, "CONFIG_BADSTR", id_str, false, out, why), -EINVAL);
	/* not set: 1, whatever the weakness (the caller decides) */
	ck_assert_int_eq(resolve(kc, "CONFIG_OFF", id_bool, false, out, why), 1);
	ck_assert_int_eq(resolve(kc, "CONFIG_ABSENT", id_s32, true, out, why), 1);
	/* no config: unknown */
	ck_assert_int_eq(resolve(NULL, "CONFIG_HZ", id_s32, false, out, why), 2);
	/* libbpf's own values */
	ck_assert_int_eq(resolve(kc, "LINUX_KERNEL_VERSION", id_s32, false, out, why), 2);
	ck_assert_int_eq(resolve(kc, "LINUX_KERNEL_VERSION", id_u16, false, out, why), -ERANGE);
	check_kconfig_set_kernel_version(kc, (6 << 16) + (18 << 8) + 44);
	ck_assert_int_eq(resolve(kc, "LINUX_KERNEL_VERSION", id_s32, false, out, why), 0);
	memcpy(&v32, out, 4);
	ck_assert_uint_eq(v32, 0x6122c);
	ck_assert_int_eq(resolve(kc, "LINUX_HAS_BPF_COOKIE", id_bool, false, out, why), 0);
	ck_assert_uint_eq(out[0], 1);
	ck_assert_int_eq(resolve(kc, "LINUX_HAS_SYSCALL_WRAPPER", id_bool, false, out, why), 2);
	ck_assert_int_eq(resolve(kc, "LINUX_HAS_SYSCALL_WRAPPER", id_str, false, out, why),
	                 -EINVAL);
	ck_assert_int_eq(resolve(kc, "LINUX_FUTURE", id_s32, true, out, why), 1);
	ck_assert_int_eq(resolve(kc, "LINUX_FUTURE", id_s32, false, out, why), -EINVAL);
	ck_assert_str_eq(why, "unrecognized virtual extern");
	ck_assert_int_eq(resolve(kc, "OTHER_NAME", id_s32, true, out, why), -EINVAL);
	check_kconfig_free(kc);
	btf__free(btf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("check_kconfig");
	TCase *tc = tcase_create("kconfig");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_values);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
