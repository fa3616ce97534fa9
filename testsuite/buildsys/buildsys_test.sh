#!/bin/bash
# buildsys_test.sh - bpfcc in the places users build with it, one ctest test per case:
# make -j with -MD dependency files (exactly the changed objects rebuilt), ccache (a second
# identical build is a hit in direct, preprocessor and depend mode), the installed tree
# (`cmake --install`: relocatable, found headers relative to the executable, not the
# build tree), the CMake package (find_package(bpfcc) + bpfcc_add_object from a sample
# project configured against the installed package), reproducible objects, the man page
# and the bash completion, and the README's CI recipe run on a small repository.
#
# Usage: buildsys_test.sh BPFCC BUILD_DIR SOURCE_DIR CMAKE CASE
# Exit status: 0 pass, 1 fail, 77 skipped (the reason is printed).
set -u
bpfcc=$1
build=$2
src=$3
cmake=$4
case=$5
work=$(mktemp -d "${TMPDIR:-/tmp}/bpfcc-buildsys.XXXXXX") || exit 1
work=$(cd "$work" && pwd -P)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
# Nothing from the caller's environment may change what is measured.
unset MAKEFLAGS MFLAGS MAKELEVEL BPFCC_CLANG CFLAGS
for v in $(env | sed -n 's/^\(CCACHE_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export XDG_CACHE_HOME=$work/xdg-cache

fail() {
	echo "FAIL ($case): $*"
	for f in out err; do
		[ -s "$work/$f" ] && { echo "--- $f:"; head -40 "$work/$f"; }
	done
	exit 1
}
skip() {
	echo "SKIP ($case): $*"
	exit 77
}
has() { grep -q -- "$2" "$1" || fail "$1 does not contain '$2'"; }
lacks() { ! grep -q -- "$2" "$1" || fail "$1 contains '$2'"; }
is_bpf_object() {
	[ "$(head -c4 "$1" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || fail "$1 is not ELF"
	[ "$(od -An -tu1 -j18 -N1 "$1" | tr -d ' ')" = 247 ] || fail "$1 is not EM_BPF"
}
# install_to PREFIX: `cmake --install` of the build tree under test.
install_to() {
	"$cmake" --install "$build" --prefix "$1" >"$work/out" 2>"$work/err" ||
		fail "cmake --install --prefix $1 failed"
}
have_btf() { [ -r /sys/kernel/btf/vmlinux ]; }

# A small multi-file project with a Makefile written the way BPF projects write theirs.
make_project() {
	mkdir -p proj/include proj/src
	cat >proj/Makefile <<'M'
CC = bpfcc
CFLAGS = -O2 -g -Wall -Iinclude
OBJS = obj/a.bpf.o obj/b.bpf.o obj/c.bpf.o

all: $(OBJS)

obj/%.bpf.o: src/%.bpf.c | obj
	$(CC) $(CFLAGS) -MD -MP -c $< -o $@
	@echo $@ >>built.log

obj:
	mkdir -p $@

clean:
	rm -rf obj built.log

-include $(OBJS:.o=.d)
.PHONY: all clean
M
	cat >proj/include/common.h <<'H'
/* shared by a and b */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#define VERDICT XDP_PASS
H
	cat >proj/include/only_b.h <<'H'
#define B_EXTRA 0
H
	cat >proj/src/a.bpf.c <<'C'
#include "common.h"

SEC("xdp")
int prog_a(struct xdp_md *ctx)
{
	return VERDICT;
}

char LICENSE[] SEC("license") = "GPL";
C
	cat >proj/src/b.bpf.c <<'C'
#include "common.h"
#include "only_b.h"

SEC("xdp")
int prog_b(struct xdp_md *ctx)
{
	return VERDICT + B_EXTRA;
}

char LICENSE[] SEC("license") = "GPL";
C
	cat >proj/src/c.bpf.c <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int prog_c(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
C
}

# pmake ARGS...: make -j2 in proj/, built.log holding what was (re)built this time.
pmake() {
	rm -f proj/built.log
	make -j2 -C proj CC="$bpfcc" "$@" >"$work/out" 2>"$work/err"
}
# rebuilt_is LIST: the objects rebuilt by the last pmake are exactly LIST (sorted names).
rebuilt_is() {
	local got
	got=$(sort proj/built.log 2>/dev/null | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$1" ] || fail "rebuilt [$got], expected [$1]"
}
settle() { sleep 0.05; } # a later modification time than the objects just written

case_make_deps() {
	make_project
	pmake || fail "first build failed"
	rebuilt_is "obj/a.bpf.o obj/b.bpf.o obj/c.bpf.o"
	for o in a b c; do is_bpf_object proj/obj/$o.bpf.o; done
	has proj/obj/b.bpf.d "include/only_b.h"
	has proj/obj/a.bpf.d "include/common.h"
	has proj/obj/a.bpf.d "^obj/a.bpf.o:"
	has proj/obj/b.bpf.d "^include/only_b.h:" # -MP: a phony target per header

	local before after
	before=$(stat -c '%n %y' proj/obj/*.o)
	pmake || fail "second build failed"
	rebuilt_is ""
	after=$(stat -c '%n %y' proj/obj/*.o)
	[ "$before" = "$after" ] || fail "an up-to-date object was rewritten"

	settle
	touch proj/include/only_b.h
	pmake || fail "build after touching only_b.h failed"
	rebuilt_is "obj/b.bpf.o"

	settle
	touch proj/include/common.h
	pmake || fail "build after touching common.h failed"
	rebuilt_is "obj/a.bpf.o obj/b.bpf.o"

	settle
	touch proj/src/c.bpf.c
	pmake || fail "build after touching c.bpf.c failed"
	rebuilt_is "obj/c.bpf.o"

	# A header removed along with its #include: -MP keeps make from failing on it.
	settle
	sed -i '/only_b.h/d; s/ + B_EXTRA//' proj/src/b.bpf.c
	rm proj/include/only_b.h
	pmake || fail "build after removing only_b.h failed"
	rebuilt_is "obj/b.bpf.o"
	lacks proj/obj/b.bpf.d only_b.h

	# A failed compile leaves no object newer than its source: the next make tries again.
	settle
	echo 'int broken(void) { return }' >>proj/src/a.bpf.c
	pmake && fail "a broken source built"
	pmake && fail "the second make after a failed compile succeeded (stale object kept?)"
	has err "a.bpf.c"
	[ -z "$(find proj -name '.*.tmp.*')" ] || fail "temporary files left behind"
	pmake -k
	rebuilt_is ""
	echo "make -j2: rebuilds exactly the changed objects ($(ls proj/obj/*.o | wc -l) objects)"
}

# ccache_stat KEY: one counter of `ccache --print-stats`.
ccache_stat() { ccache --print-stats | awk -v k="$1" '$1 == k { print $2 }'; }
# ccache_round MODE: a build, a clean, the same build again; checks the second is all hits.
ccache_round() {
	local mode=$1 key=$2
	export CCACHE_DIR=$work/ccache-$mode
	ccache -z >/dev/null
	make -C proj clean >/dev/null
	pmake CC="ccache $bpfcc" || fail "$mode: first build through ccache failed"
	[ "$(ccache_stat cache_miss)" = 3 ] || fail "$mode: $(ccache_stat cache_miss) misses, expected 3"
	cp proj/obj/b.bpf.o first-b.o
	make -C proj clean >/dev/null
	pmake CC="ccache $bpfcc" || fail "$mode: second build through ccache failed"
	rebuilt_is "obj/a.bpf.o obj/b.bpf.o obj/c.bpf.o"
	[ "$(ccache_stat "$key")" = 3 ] ||
		fail "$mode: $key is $(ccache_stat "$key"), expected 3 ($(ccache -s))"
	[ "$(ccache_stat cache_miss)" = 3 ] || fail "$mode: the second build missed"
	cmp -s first-b.o proj/obj/b.bpf.o || fail "$mode: the cached object differs"
	[ -s proj/obj/b.bpf.d ] || fail "$mode: the dependency file was not restored"
	has proj/obj/b.bpf.d only_b.h
}

case_ccache() {
	command -v ccache >/dev/null || skip "ccache is not installed (apt install ccache)"
	make_project
	export CCACHE_CONFIGPATH=$work/ccache.conf CCACHE_LOGFILE=$work/ccache.log
	: >"$CCACHE_CONFIGPATH"
	ccache_round direct direct_cache_hit
	grep -q "Compiler type: other" ccache.log || fail "ccache did not take bpfcc for a compiler"
	grep -qE "bpfcc .*-E " ccache.log || fail "ccache did not preprocess with bpfcc -E"
	CCACHE_NODIRECT=1 ccache_round preprocessor preprocessed_cache_hit
	CCACHE_DEPEND=1 ccache_round depend direct_cache_hit

	# A change that matters misses for exactly the objects it reaches.
	export CCACHE_DIR=$work/ccache-direct
	ccache -z >/dev/null
	make -C proj clean >/dev/null
	sed -i 's/XDP_PASS/XDP_DROP/' proj/include/common.h
	pmake CC="ccache $bpfcc" || fail "build after a header change failed"
	[ "$(ccache_stat cache_miss)" = 2 ] || fail "header change: $(ccache_stat cache_miss) misses, expected 2"
	[ "$(ccache_stat direct_cache_hit)" = 1 ] || fail "header change: c.bpf.c was not a hit"
	# compiler_check as the man page recommends it
	export CCACHE_COMPILERCHECK="%compiler% --version"
	make -C proj clean >/dev/null
	pmake CC="ccache $bpfcc" || fail "build with compiler_check=--version failed"
	make -C proj clean >/dev/null
	ccache -z >/dev/null
	pmake CC="ccache $bpfcc" || fail "build with compiler_check=--version failed"
	[ "$(ccache_stat direct_cache_hit)" = 3 ] || fail "compiler_check=%compiler% --version: no hits"
	# extra_files_to_hash as documented for the kernel BTF: a new kernel is a miss.
	export CCACHE_EXTRAFILES=$work/kernel.btf
	echo one >kernel.btf
	make -C proj clean >/dev/null
	pmake CC="ccache $bpfcc" || fail "build with extra_files_to_hash failed"
	echo two >kernel.btf
	make -C proj clean >/dev/null
	ccache -z >/dev/null
	pmake CC="ccache $bpfcc" || fail "build with extra_files_to_hash failed"
	[ "$(ccache_stat cache_miss)" = 3 ] || fail "a changed extra_files_to_hash file was a hit"
	echo "ccache: second identical build all hits in direct, preprocessor and depend mode"
}

hello_expect() {
	mkdir -p elsewhere
	cat >elsewhere/hello.bpf.c <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpfcc/expect.h>

SEC("xdp")
__success
int hello(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
C
}

case_install() {
	local p=$work/prefix moved=$work/moved/usr
	install_to "$p"
	for f in bin/bpfcc share/bpfcc/include/bpfcc/expect.h share/man/man1/bpfcc.1 \
		share/bash-completion/completions/bpfcc lib/cmake/bpfcc/bpfccConfig.cmake \
		lib/cmake/bpfcc/bpfccConfigVersion.cmake lib/cmake/bpfcc/BpfccAddObject.cmake; do
		[ -f "$p/$f" ] || fail "cmake --install did not install $f"
	done
	[ -x "$p/bin/bpfcc" ] || fail "the installed bpfcc is not executable"
	# The whole tree moved elsewhere still works: every path is relative to the executable.
	mkdir -p "$work/moved"
	mv "$p" "$moved"
	hello_expect
	cd "$work/elsewhere" || fail "cd"
	"$moved/bin/bpfcc" -### -c hello.bpf.c >"$work/out" 2>"$work/err" || fail "-### failed"
	has "$work/err" "-isystem $moved/share/bpfcc/include"
	lacks "$work/err" "$src/headers"
	"$moved/bin/bpfcc" -c hello.bpf.c -o hello.o >"$work/out" 2>"$work/err" ||
		fail "the moved install cannot compile from another directory"
	is_bpf_object hello.o
	# A clang-19 next to the executable (a tree that bundles its front end) is the default.
	local real_clang
	real_clang=$("$bpfcc" --version | sed -n 's/.*C front end: \(.*\))$/\1/p')
	[ -x "$real_clang" ] || fail "bpfcc --version does not name its C front end"
	printf '#!/bin/sh\necho "$*" >>"%s"\nexec "%s" "$@"\n' "$work/bundled.log" "$real_clang" \
		>"$moved/bin/clang-19"
	chmod +x "$moved/bin/clang-19"
	"$moved/bin/bpfcc" --version >"$work/out" 2>&1
	has "$work/out" "C front end: $moved/bin/clang-19"
	"$moved/bin/bpfcc" -c hello.bpf.c -o bundled.o >"$work/out" 2>"$work/err" ||
		fail "compiling with the bundled clang-19 failed"
	[ -s "$work/bundled.log" ] || fail "the clang-19 next to bpfcc was not used"
	cmp -s hello.o bundled.o || fail "the bundled clang (the same clang) gave another object"
	rm "$moved/bin/clang-19"
	cd "$work" || fail "cd"
	# With the source tree's headers hidden (an empty directory mounted over them in a
	# private mount namespace), the installed bpfcc still compiles; the build tree's
	# bpfcc, which uses them, must not: that shows they were hidden.
	if unshare --mount true 2>/dev/null; then
		unshare --mount bash -c "mount -t tmpfs none '$src/headers' &&
			cd '$work/elsewhere' &&
			'$moved/bin/bpfcc' -c hello.bpf.c -o hidden.o &&
			! '$bpfcc' -c hello.bpf.c -o control.o 2>/dev/null" >"$work/out" 2>"$work/err" ||
			fail "with the source headers hidden, the installed bpfcc failed (or the build" \
				"tree's did not)"
		is_bpf_object elsewhere/hidden.o
		[ ! -e elsewhere/control.o ] || fail "the headers were not hidden"
		echo "install: works moved, from another directory, with the source headers hidden"
	else
		echo "install: works moved and from another directory (no mount namespace to" \
			"hide the source headers: that part not run)"
	fi
}

# cmake_package GENERATOR: the sample project, configured against the installed package.
cmake_package() {
	local gen=$1 p=$work/prefix sb=$work/sample-build
	have_btf || skip "no /sys/kernel/btf/vmlinux for the sample's CO-RE program"
	command -v bpftool >/dev/null || [ -x /usr/sbin/bpftool ] || skip "bpftool not installed"
	install_to "$p"
	cp -r "$src/samples/cmake" sample
	cp /sys/kernel/btf/vmlinux vmlinux.btf
	"$cmake" -G "$gen" -S sample -B "$sb" -DCMAKE_PREFIX_PATH="$p" \
		-DSAMPLE_TARGET_BTF="$work/vmlinux.btf" >"$work/out" 2>"$work/err" ||
		fail "configuring the sample project failed"
	has "$sb/CMakeCache.txt" "bpfcc_DIR:PATH=$p/lib/cmake/bpfcc"
	has "$work/out" "bpfcc 0.1.0: $p/bin/bpfcc"
	grep -rq -- "--target-btf=$work/vmlinux.btf" "$sb"/CMakeFiles/task_age.dir/ "$sb"/*.ninja \
		2>/dev/null || fail "TARGET_KERNEL did not reach the bpfcc command"
	"$cmake" --build "$sb" >"$work/out" 2>"$work/err" || fail "building the sample failed"
	for o in proto_count task_age drop_pair; do
		is_bpf_object "$sb/$o.bpf.o"
	done
	"$p/bin/bpfcc" verify "$sb"/*.bpf.o >"$work/out" 2>"$work/err" ||
		fail "bpfcc verify refuses the sample's objects"
	[ "$(grep -c ': loads' "$work/out")" = 4 ] || fail "expected 4 programs that load"

	# build_shows WHAT...: a rebuild compiles exactly these objects.
	build_shows() {
		local got
		"$cmake" --build "$sb" >"$work/out" 2>"$work/err" || fail "rebuild failed"
		got=$(sed -n 's/.*Building BPF object \(.*\)/\1/p' "$work/out" | sort | tr '\n' ' ')
		[ "$got" = "$*${*:+ }" ] || fail "rebuilt [$got], expected [$*]"
	}
	build_shows
	settle
	touch sample/include/proto_limits.h
	build_shows proto_count.bpf.o
	settle
	touch sample/include/drop_common.h
	build_shows drop_pair.dir/0-drop_icmp.o drop_pair.dir/1-drop_udp.o
	has "$work/out" "Linking BPF object drop_pair.bpf.o"
	settle
	touch vmlinux.btf
	build_shows task_age.bpf.o

	# A program the kernel would refuse fails the build at its line; no object is left.
	mkdir bad
	cat >bad/CMakeLists.txt <<'EOF'
cmake_minimum_required(VERSION 3.20)
project(bad LANGUAGES NONE)
find_package(bpfcc REQUIRED)
bpfcc_add_object(oob SOURCES oob.bpf.c)
EOF
	cat >bad/oob.bpf.c <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int truncate(struct __sk_buff *skb)
{
	skb->len = 0; /* read-only for a socket filter */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
C
	"$cmake" -G "$gen" -S bad -B bad-build -DCMAKE_PREFIX_PATH="$p" >"$work/out" 2>&1 ||
		fail "configuring the second project failed"
	"$cmake" --build bad-build >"$work/out" 2>&1 && fail "a program the kernel refuses built"
	has "$work/out" "oob.bpf.c:7"
	has "$work/out" "invalid bpf_context access"
	[ ! -e bad-build/oob.bpf.o ] || fail "an object was left behind"
	echo "cmake package ($gen): 3 objects built, exact rebuilds, verifier findings fail the build"
}

case_cmake_package() {
	cmake_package "Unix Makefiles"
}

case_cmake_package_ninja() {
	command -v ninja >/dev/null || skip "ninja is not installed (apt install ninja-build)"
	cmake_package Ninja
}

repro_source() {
	mkdir -p "$1/src/include"
	cat >"$1/src/include/cfg.h" <<'H'
#define SLOTS 64
H
	cat >"$1/src/prog.bpf.c" <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "cfg.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

SEC("xdp")
int count(struct xdp_md *ctx)
{
	__u32 k = ctx->rx_queue_index % SLOTS;
	__u64 *v = bpf_map_lookup_elem(&hits, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
C
}
# in_dir DIR ARGS...: runs bpfcc in DIR/src.
in_dir() {
	local d=$1
	shift
	(cd "$d/src" && "$bpfcc" "$@") >"$work/out" 2>"$work/err" || fail "bpfcc $* in $d failed"
}

case_reproducible() {
	local one=$work/one two=$work/a-second-and-longer-directory/two
	repro_source "$one"
	repro_source "$two"
	# Same directory, twice, a second apart: byte-identical (no timestamps).
	in_dir "$one" -O2 -g -Iinclude -c prog.bpf.c -o first.o
	sleep 1
	in_dir "$one" -O2 -g -Iinclude -c prog.bpf.c -o second.o
	cmp -s "$one/src/first.o" "$one/src/second.o" || fail "two builds of the same source differ"
	# Like clang, the object records the directory it was built in ...
	in_dir "$two" -O2 -g -Iinclude -c prog.bpf.c -o first.o
	grep -aqF "$one/src" "$one/src/first.o" || fail "the compilation directory is not recorded"
	# ... and the prefix map flags remove it: two directories, one object.
	for d in "$one" "$two"; do
		in_dir "$d" -O2 -g -Iinclude -ffile-prefix-map="$d/src=." -c prog.bpf.c -o mapped.o
		in_dir "$d" -O2 -g -Iinclude -fdebug-compilation-dir=. -c prog.bpf.c -o compdir.o
		in_dir "$d" -O2 -g -Iinclude -fdebug-prefix-map="$d/src=/build" -c "$d/src/prog.bpf.c" \
			-o debugmap.o
		! grep -aqF "$work" "$d/src/mapped.o" || fail "a path of the build is left in $d/mapped.o"
		! grep -aqF "$work" "$d/src/debugmap.o" || fail "a path is left in $d/debugmap.o"
	done
	for f in mapped compdir debugmap; do
		cmp -s "$one/src/$f.o" "$two/src/$f.o" ||
			fail "$f.o: the same source built in two directories differs"
	done
	echo "reproducible: byte-identical across runs, and across directories with prefix maps"
}

case_reproducible_vmlinux() {
	have_btf || skip "no /sys/kernel/btf/vmlinux"
	local one=$work/one two=$work/two-longer-name
	for d in "$one" "$two"; do
		mkdir -p "$d/src"
		cat >"$d/src/core.bpf.c" <<'C'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return BPF_CORE_READ(next, pid) == BPF_CORE_READ(prev, tgid);
}

char LICENSE[] SEC("license") = "GPL";
C
	done
	# A cold cache (vmlinux.h generated in this compile), a warm one, another user's.
	XDG_CACHE_HOME=$work/cache-a in_dir "$one" -ffile-prefix-map="$one/src=." -c core.bpf.c -o cold.o
	XDG_CACHE_HOME=$work/cache-a in_dir "$one" -ffile-prefix-map="$one/src=." -c core.bpf.c -o warm.o
	XDG_CACHE_HOME=$work/another-user/.cache in_dir "$two" -ffile-prefix-map="$two/src=." \
		-c core.bpf.c -o other.o
	cmp -s "$one/src/cold.o" "$one/src/warm.o" ||
		fail "the object built with a cold vmlinux.h cache differs from a warm one"
	cmp -s "$one/src/cold.o" "$two/src/other.o" ||
		fail "another directory and cache directory give another object"
	! grep -aqF "$work" "$one/src/cold.o" || fail "the cache path is recorded in the object"
	grep -aqF "/bpfcc-cache/vmlinux-" "$one/src/cold.o" ||
		fail "vmlinux.h is not recorded as /bpfcc-cache/vmlinux-*"
	echo "reproducible: CO-RE object identical with cold/warm caches in other directories"
}

case_man_page() {
	local man=$src/man/bpfcc.1 w
	command -v groff >/dev/null || skip "groff is not installed (apt install groff-base)"
	LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$man" >"$work/out" 2>"$work/err" ||
		fail "groff cannot format the man page"
	[ ! -s "$work/err" ] || fail "groff warns about the man page"
	LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou "$man" >rendered 2>"$work/err" ||
		fail "groff cannot render the man page"
	if command -v man >/dev/null; then
		MANWIDTH=80 man -l "$man" >rendered-man 2>"$work/err" || fail "man -l failed"
		grep -qE "bpfcc +- +eBPF compiler" rendered-man || fail "man -l output has no NAME line"
	fi
	for w in NAME SYNOPSIS DESCRIPTION COMMANDS "COMPILE OPTIONS" "VERIFY OPTIONS" \
		"EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
		grep -q "^$w" rendered || fail "the man page has no $w section"
	done
	# Everything the program documents itself is in the man page too.
	"$bpfcc" --help >help 2>&1
	"$bpfcc" verify --help >>help 2>&1
	"$bpfcc" load --help >>help 2>&1
	"$bpfcc" inspect --help >>help 2>&1
	for w in $(grep -o -- '--[a-z][a-z-]*' help | sort -u) verify inspect load; do
		grep -q -- "$w" rendered ||
			fail "'$w' (in bpfcc's --help) is not in man/bpfcc.1: document it there"
	done
	for w in $(grep -rhoE 'getenv\("[A-Z_]+"\)' "$src/compiler" "$src/runtime" |
		sed 's/getenv("\(.*\)")/\1/' | sort -u); do
		grep -q -- "$w" rendered ||
			fail "environment variable $w (read by bpfcc) is not in the man page"
	done
	echo "man page: renders without warnings, $(wc -l <rendered) lines"
}

# The README's CI recipe, run: its build step, its gate (exit 1 and a SARIF result at the
# failing line for a program the kernel refuses, exit 0 once fixed) and its
# --against-kernel step, on a small repository laid out as the recipe assumes.
case_ci_recipe() {
	local readme=$src/README.md recipe build_cmd gate_cmd kernel_cmd status
	sed -n '/^## CI recipe/,/^## /p' "$readme" >recipe.md
	[ -s recipe.md ] || fail "README has no '## CI recipe' section"
	for w in "github/codeql-action/upload-sarif" "sarif_file: bpfcc.sarif" "if: always()" \
		"security-events: write" "bpfcc verify --format=sarif" "--against-kernel"; do
		has recipe.md "$w"
	done
	if python3 -c 'import yaml' 2>/dev/null; then
		python3 - recipe.md <<'PY' || fail "a YAML block of the CI recipe does not parse"
import re, sys, yaml
blocks = re.findall(r"```yaml\n(.*?)```", open(sys.argv[1]).read(), re.S)
assert len(blocks) == 2, "expected the workflow and the kernel step"
wf = yaml.safe_load(blocks[0])
steps = wf["jobs"]["verify"]["steps"]
assert any("upload-sarif" in s.get("uses", "") for s in steps)
yaml.safe_load(blocks[1])
PY
	fi
	build_cmd=$(sed -n 's/^ *run: \(make .*CC=bpfcc.*\)$/\1/p' recipe.md | head -1)
	gate_cmd=$(sed -n 's/^ *run: \(bpfcc verify --format=sarif .*\)$/\1/p' recipe.md | head -1)
	kernel_cmd=$(sed -n 's/^ *run: \(.*bpfcc verify --against-kernel .*\)$/\1/p' recipe.md | head -1)
	[ -n "$build_cmd" ] && [ -n "$gate_cmd" ] && [ -n "$kernel_cmd" ] ||
		fail "cannot find the build, gate and kernel steps in the recipe"

	mkdir -p bin repo/bpf
	ln -s "$bpfcc" bin/bpfcc
	cat >repo/bpf/Makefile <<'M'
CC = clang
CFLAGS = -O2 -g
OBJS = $(patsubst %.bpf.c,%.bpf.o,$(wildcard *.bpf.c))
all: $(OBJS)
%.bpf.o: %.bpf.c
	$(CC) $(CFLAGS) -c $< -o $@
M
	cat >repo/bpf/good.bpf.c <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int keep(struct __sk_buff *skb)
{
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
C
	cat >repo/bpf/bad.bpf.c <<'C'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int cut(struct __sk_buff *skb)
{
	skb->len = 0;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
C
	cd repo || fail "cd"
	PATH=$work/bin:$PATH bash -c "$build_cmd" >"$work/out" 2>"$work/err" ||
		fail "the recipe's build step failed: $build_cmd"
	PATH=$work/bin:$PATH bash -c "$gate_cmd" 2>"$work/err"
	status=$?
	[ "$status" = 1 ] || fail "the gate exited $status on a refused program, expected 1"
	grep -q '"version": *"2.1.0"' bpfcc.sarif || fail "the gate did not write SARIF 2.1.0"
	has bpfcc.sarif '"ruleId": *"verifier-ctx-access"'
	has bpfcc.sarif 'bpf/bad.bpf.c'
	has bpfcc.sarif '"startLine": *7'
	sed -i 's/skb->len = 0;/return skb->len;/' bpf/bad.bpf.c
	PATH=$work/bin:$PATH bash -c "$build_cmd" >"$work/out" 2>"$work/err" || fail "rebuild failed"
	PATH=$work/bin:$PATH bash -c "$gate_cmd" 2>"$work/err" ||
		fail "the gate failed on programs the kernel loads"
	[ "$(id -u)" = 0 ] && kernel_cmd=${kernel_cmd#sudo }
	PATH=$work/bin:$PATH bash -c "$kernel_cmd" >"$work/out" 2>"$work/err"
	status=$?
	case $status in
	0) echo "ci recipe: gate 1 then 0, SARIF at the line, bpfcc and the kernel agree" ;;
	2) # no privileges: the README promises exit 2 with the reason
	   [ -s "$work/err" ] || fail "--against-kernel exited 2 without saying why"
	   echo "ci recipe: gate 1 then 0, SARIF at the line; kernel step: no privileges (2)" ;;
	*) fail "the recipe's kernel step exited $status" ;;
	esac
}

# complete LINE: COMPREPLY for the command line LINE (cursor at its end), one per line, as
# bash would call the completion function (words split at '=' too).
complete_line() {
	bash -c '
		source "$1"
		COMP_LINE=$2
		COMP_POINT=${#COMP_LINE}
		read -ra COMP_WORDS <<<"${COMP_LINE//=/ = }"
		[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_bpfcc bpfcc "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$src/man/bpfcc.bash" "$1"
}
completes() {
	local line=$1 got
	shift
	got=$(complete_line "$line" | sort | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$*" ] || fail "completing '$line' gave [$got], expected [$*]"
}
completes_has() {
	complete_line "$1" | grep -qx -- "$2" || fail "completing '$1' does not offer '$2'"
}

case_completion() {
	bash -c 'source "$1" && complete -p bpfcc' _ "$src/man/bpfcc.bash" >"$work/out" 2>"$work/err" ||
		fail "sourcing the completion file failed"
	has "$work/out" "_bpfcc bpfcc"
	mkdir -p dir
	touch prog.bpf.c prog.bpf.o other.txt dir/x.bpf.c vmlinux.btf
	completes "bpfcc ver" verify
	completes "bpfcc in" inspect
	completes "bpfcc verify --f" --format=
	completes "bpfcc verify --format=" csv json sarif text
	completes "bpfcc verify --format=s" sarif
	completes "bpfcc load --format=" json sarif text
	completes "bpfcc inspect --format=" json text
	completes "bpfcc -mcpu=v" v1 v2 v3 v4
	completes "bpfcc -c -fdiagnostics-format=" json sarif text
	completes "bpfcc verify pro" prog.bpf.o
	completes "bpfcc -c pro" prog.bpf.c
	completes "bpfcc -c dir/" dir/x.bpf.c
	completes "bpfcc -c --target-btf=vml" vmlinux.btf
	completes_has "bpfcc -" -MD
	completes_has "bpfcc -c -" --target-btf=
	completes_has "bpfcc -I " dir
	# Every long option the commands document is offered.
	local w cmd
	for cmd in "" verify load inspect; do
		"$bpfcc" $cmd --help >help 2>&1
		[ -z "$cmd" ] && sed -i -n '/^Compile options/,$p' help
		for w in $(grep -o -- '--[a-z][a-z-]*=\?' help | sort -u); do
			[ "$w" = --help ] && continue
			complete_line "bpfcc $cmd ${cmd:+ }--" | grep -q -- "^$w" ||
				fail "'bpfcc $cmd --' does not offer $w (from its --help)"
		done
	done
	echo "completion: subcommands, options, option values and file kinds"
}

declare -F "case_$case" >/dev/null || { echo "no such case: $case"; exit 2; }
"case_$case"
