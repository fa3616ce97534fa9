# bpfcc.bash - bash completion for bpfcc(1), installed as
# share/bash-completion/completions/bpfcc.  Completes the subcommands (verify, inspect,
# load), each command's options and their values (--format=, -mcpu=, -O, -fdiagnostics-*,
# --verify=), C sources for a compile and BPF objects for the subcommands.  Plain bash
# (compgen), so it also works without the bash-completion package.

_bpfcc_compile_opts="-c -S -E -emit-llvm -o -O0 -O1 -O2 -O3 -Os -Oz -g -mcpu= --target=
-mlittle-endian -mbig-endian -I -isystem -idirafter -iquote -D -U -include -std= -W
-Werror -Werror= -Wno- -w -MD -MMD -MF -MT -MQ -MP -mllvm -ffile-prefix-map=
-fdebug-prefix-map= -fdebug-compilation-dir= -fdiagnostics-format= -fdiagnostics-color=
--clang= --target-btf= --target-arch= --verify= --no-verify -v -### --version --help"
_bpfcc_verify_opts="--program= --format= --target-btf= --kconfig= --against-kernel --verifier-log --emit-cfg= --help"
_bpfcc_inspect_opts="--format= --help"
_bpfcc_load_opts="--program= --format= -v --help"

# _bpfcc_files EXT...: COMPREPLY gets directories and files ending in one of EXT.
_bpfcc_files()
{
	local cur=$1 ext f
	shift
	local IFS=$'\n'
	COMPREPLY=()
	for f in $(compgen -f -- "$cur"); do
		if [[ -d $f ]]; then
			COMPREPLY+=("$f/")
			continue
		fi
		for ext in "$@"; do
			[[ $f == *"$ext" ]] && COMPREPLY+=("$f") && break
		done
	done
	[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]] && compopt -o nospace 2>/dev/null
	return 0
}

# _bpfcc_values PREFIX WORDS: completes CUR (which starts with PREFIX) from PREFIX+WORD.
_bpfcc_values()
{
	local prefix=$1 words=$2 w
	COMPREPLY=()
	for w in $words; do
		[[ $prefix$w == "$cur"* ]] && COMPREPLY+=("$prefix$w")
	done
}

_bpfcc()
{
	local cur prev="" cmd="" opts i cword line
	local -a words
	# Readline splits "--format=json" at '=' (COMP_WORDBREAKS); take the words from the
	# line itself, and trim the part before '=' from the answers at the end.
	if [[ -n ${COMP_LINE-} ]]; then
		line=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}}
		cur=${line##*[[:space:]]}
		read -ra words <<<"$line"
		cword=${#words[@]}
		[[ -n $cur ]] && cword=$((cword - 1))
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${words[cword]-}
	fi
	_bpfcc_complete
	if [[ $cur == *=* && ${COMP_WORDBREAKS-} == *=* && -n ${COMP_LINE-} ]]; then
		local pre=${cur%"${cur##*=}"}
		COMPREPLY=("${COMPREPLY[@]#"$pre"}")
	fi
	return 0
}

# The completions for cur, the word number cword of words, as whole words.
_bpfcc_complete()
{
	((cword > 0)) && prev=${words[cword - 1]}
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		verify | inspect | load)
			[[ $i -eq 1 ]] && cmd=${words[i]}
			break
			;;
		esac
	done

	# Options that take the next word as their argument.
	case $prev in
	-o | -MF | -MT | -MQ | -include)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	-I | -isystem | -idirafter | -iquote)
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0
		;;
	-D | -U | -mllvm)
		COMPREPLY=()
		return 0
		;;
	esac

	case $cur in
	--format=*)
		case $cmd in
		verify) _bpfcc_values --format= "text json csv sarif" ;;
		load) _bpfcc_values --format= "text json sarif" ;;
		*) _bpfcc_values --format= "text json" ;;
		esac
		return 0
		;;
	-mcpu=*)
		_bpfcc_values -mcpu= "v1 v2 v3 v4 generic"
		return 0
		;;
	--target=*)
		_bpfcc_values --target= "bpf bpfel bpfeb"
		return 0
		;;
	-fdiagnostics-format=*)
		_bpfcc_values -fdiagnostics-format= "text json sarif"
		return 0
		;;
	-fdiagnostics-color=*)
		_bpfcc_values -fdiagnostics-color= "auto always never"
		return 0
		;;
	--verify=*)
		_bpfcc_values --verify= "error warn off"
		return 0
		;;
	--target-btf=* | --clang=* | --kconfig=* | --emit-cfg=*)
		local flag=${cur%%=*}=
		COMPREPLY=($(compgen -f -- "${cur#*=}"))
		COMPREPLY=("${COMPREPLY[@]/#/$flag}")
		return 0
		;;
	-*)
		case $cmd in
		verify) opts=$_bpfcc_verify_opts ;;
		inspect) opts=$_bpfcc_inspect_opts ;;
		load) opts=$_bpfcc_load_opts ;;
		*) opts=$_bpfcc_compile_opts ;;
		esac
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		# an option ending in '=' wants its value right after it
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return 0
		;;
	esac

	if [[ -z $cmd && $cword -eq 1 ]]; then
		_bpfcc_files "$cur" .c .h
		COMPREPLY+=($(compgen -W "verify inspect load" -- "$cur"))
		return 0
	fi
	if [[ -n $cmd ]]; then
		_bpfcc_files "$cur" .o
	else
		_bpfcc_files "$cur" .c
	fi
	return 0
}

complete -F _bpfcc bpfcc
