#!/bin/sh
# dump_kernel_enums.sh - writes the running kernel's enum bpf_prog_type, bpf_attach_type,
# bpf_map_type and bpf_func_id (read from its BTF with bpftool) to stdout, one
# "<enum> <NAME> <value>" per line: the numbering gen_tables.py builds the tables with.
# Usage: dump_kernel_enums.sh [/sys/kernel/btf/vmlinux] > kernel-<version>.enums
set -e
btf=${1:-/sys/kernel/btf/vmlinux}
echo "# uname -r: $(uname -r)"
bpftool btf dump file "$btf" format c | awk '
	/^enum (bpf_prog_type|bpf_attach_type|bpf_map_type|bpf_func_id) \{/ { e = $2; next }
	e != "" && /^\};/ { e = ""; next }
	e != "" { gsub(/[\t ,]/, ""); split($0, kv, "="); print e, kv[1], kv[2] }'
