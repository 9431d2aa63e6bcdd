# bash completion for jnet(8).
# Everything about commands comes from `jnet help` of the jnet being completed, so it follows
# that jnet's version: the commands, their sub-commands (lab up|down|..., bridge add|...),
# their options and the kind of each argument (the usage placeholders). Argument kinds:
#   NAME JAIL      jail names, from `jnet [-t BACKEND] show` (one per line; a jail name
#                  holds no whitespace); they are matched here, never expanded by the shell
#   FILE           lab files: *.yaml *.yml *.json and directories
#   IFACE UPLINK   network interfaces; HOOKDIR: directories; COMMAND: jnet commands;
#   CMD            commands (after `lab exec FILE JAIL --`); a|b: the words listed
# Other placeholders (MTU, INDEX, SECONDS...) complete nothing.

# _jnet_spec HELP CMD SUB: the grammar of CMD (empty: the global options) as lines
#   sub WORD | opt NAME [ARGKIND] | arg KIND [...] | dashdash
_jnet_spec()
{
	printf '%s\n' "$1" | awk -v cmd="$2" -v want="$3" '
	function emit(line, first,    n, t, i, w, k, m, s, ok) {
		n = split(line, t, " ")
		i = first
		if (cmd != "" && n >= 2 && t[2] ~ /^[a-z][a-z|]*$/) {
			m = split(t[2], s, "|"); ok = 0
			for (k = 1; k <= m; k++) { print "sub " s[k]; if (s[k] == want) ok = 1 }
			if (!ok) return
			i = 3
		}
		for (; i <= n; i++) {
			w = t[i]
			if (w == "COMMAND") return
			if (w ~ /^\[?--?[A-Za-z]/) {
				sub(/^\[/, "", w)
				if (w ~ /\]$/ || i == n || t[i + 1] !~ /^([A-Z]|[a-z]+\|)/) {
					sub(/\]$/, "", w); print "opt " w
				} else {
					k = t[++i]; sub(/\]$/, "", k); sub(/\|-$/, "", k); print "opt " w " " k
				}
			} else if (w == "--") {
				print "dashdash"
			} else if (match(w, /[A-Za-z][A-Za-z|]*/)) {
				print "arg " substr(w, RSTART, RLENGTH) (w ~ /\.\.\.$/ ? " ..." : "")
			}
		}
	}
	/^commands:/ { c = 1; next }
	!c && cmd == "" && /^usage: jnet / { sub(/^usage: jnet /, ""); emit($0, 1); next }
	!c && cmd == "" && /^ +\[/ { emit($0, 1); next }
	!c && cmd == "" && /^ +jnet / { sub(/^ +jnet /, ""); emit($0, 1); next }
	c && /^$/ { exit }
	c && /^  [a-z]/ && cmd != "" && $1 == cmd { emit(substr($0, 3), 2) }'
}

# _jnet_add: each line of the input that starts with $cur, as it is (never expanded).
_jnet_add()
{
	local w
	local -A seen=()
	for w in "${COMPREPLY[@]}"; do
		seen[$w]=1
	done
	while IFS= read -r w; do
		[[ -n $w && $w == "$cur"* && -z ${seen[$w]} ]] || continue
		seen[$w]=1
		COMPREPLY+=("$w")
	done
	return 0
}

# _jnet_kind KIND: complete an argument of that kind.
_jnet_kind()
{
	local f
	case $1 in
	NAME|JAIL)
		# shellcheck disable=SC2086
		_jnet_add < <("$jnet" $backend show 2>/dev/null) ;;
	FILE)
		compopt -o filenames 2>/dev/null
		while IFS= read -r f; do
			if [[ -d $f || $f == *.yaml || $f == *.yml || $f == *.json ]]; then
				COMPREPLY+=("$f")
			fi
		done < <(compgen -f -- "$cur") ;;
	IFACE|UPLINK)
		if [[ -d /sys/class/net ]]; then
			_jnet_add < <(ls /sys/class/net 2>/dev/null)
		else
			_jnet_add < <(ifconfig -l 2>/dev/null | tr ' ' '\n')
		fi ;;
	HOOKDIR)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
	COMMAND)
		_jnet_add < <(printf '%s\n' "$help" |
		    awk '/^commands:/ { c = 1; next } c && /^$/ { exit } c && /^  [a-z]/ { print $1 }') ;;
	CMD)
		_jnet_add < <(compgen -c -- "$cur") ;;
	*\|*)
		_jnet_add < <(tr '|' '\n' <<<"$1") ;;
	esac
}

_jnet()
{
	local cur=${COMP_WORDS[COMP_CWORD]} jnet help spec w kind i
	local cmd="" subc="" backend="" nargs=0 dashdash=0 afterdash=0
	COMPREPLY=()
	jnet=$(command -v -- "${COMP_WORDS[0]}") || return 0
	help=$("$jnet" help 2>/dev/null) || return 0
	spec=$(_jnet_spec "$help" "" "")
	# Walk the words before the cursor.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((dashdash)); then
			afterdash=$((afterdash + 1))
		elif [[ $w == -* && $w != -- ]] && grep -q "^opt $w " <<<"$spec"; then
			[[ $w == -t ]] && backend="-t ${COMP_WORDS[i + 1]}"
			i=$((i + 1))
		elif [[ $w == -* && $w != -- ]]; then
			:
		elif [[ -z $cmd ]]; then
			cmd=$w
			spec=$(_jnet_spec "$help" "$cmd" "")
		elif [[ -z $subc ]] && grep -qx "sub $w" <<<"$spec"; then
			subc=$w
			spec=$(_jnet_spec "$help" "$cmd" "$subc")
		elif [[ $w == -- ]] && grep -qx dashdash <<<"$spec"; then
			dashdash=1
		else
			nargs=$((nargs + 1))
		fi
	done
	# The value of an option?
	kind=$(awk -v o="${COMP_WORDS[COMP_CWORD - 1]}" '$1 == "opt" && $2 == o && NF == 3 { print $3 }' <<<"$spec")
	if ((COMP_CWORD > 1)) && [[ -n $kind ]] && ! ((dashdash)); then
		_jnet_kind "$kind"
	elif [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			_jnet_add < <(awk '$1 == "opt" { print $2 }' <<<"$spec")
		else
			_jnet_kind COMMAND
		fi
	elif ((dashdash)); then
		((afterdash == 0)) && _jnet_kind CMD
		((afterdash > 0)) && { compopt -o default 2>/dev/null; COMPREPLY=(); }
	elif grep -q "^sub " <<<"$spec" && [[ -z $subc ]]; then
		_jnet_add < <(awk '$1 == "sub" { print $2 }' <<<"$spec")
	elif [[ $cur == -* ]]; then
		_jnet_add < <(awk '$1 == "opt" { print $2 }' <<<"$spec")
		grep -qx dashdash <<<"$spec" && _jnet_add <<<"--"
	else
		kind=$(awk -v n=$((nargs + 1)) '$1 == "arg" { k++; last = $2; rep = ($3 == "...")
			if (k == n) { print $2; found = 1; exit } }
			END { if (!found && rep) print last }' <<<"$spec")
		[[ -n $kind ]] && _jnet_kind "$kind"
	fi
	return 0
}
complete -F _jnet jnet
