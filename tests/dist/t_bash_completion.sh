# Bash completion (docs/dist/completion/jnet.bash): sourced into bash, _jnet called with
# COMP_WORDS/COMP_CWORD set, the candidates asserted. A fake jnet first on PATH answers
# `show` with canned jail names (one of them shell code that must never run) and records
# the call; everything else goes to the real jnet ($JNET), so commands and options are
# those of the jnet being built.
. "$(dirname "$0")/lib.sh"
: "${JNET:?JNET must point at jnet}"
command -v bash >/dev/null 2>&1 || { echo "SKIP: bash not installed"; exit 77; }
COMP=$DIST/completion/jnet.bash
t "bash -n" bash -n "$COMP"
if command -v shellcheck >/dev/null 2>&1; then
	t "shellcheck" shellcheck -s bash "$COMP"
else
	echo "NOTE: shellcheck not installed: lint by bash -n only"
fi

mkdir -p "$TMP/bin" "$TMP/labs/sub"
EVIL='evil$(touch${IFS}'"$TMP"'/PWNED)`touch${IFS}'"$TMP"'/PWNED2`*'
cat >"$TMP/bin/jnet" <<FAKE
#!/bin/sh
for a; do
	case \$a in show) echo "\$*" >>"$TMP/show.log"
		printf '%s\n' web db '$EVIL' web2; exit 0 ;; esac
done
exec "$JNET" "\$@"
FAKE
chmod +x "$TMP/bin/jnet"
touch "$TMP/labs/a.yaml" "$TMP/labs/b.yml" "$TMP/labs/c.json" "$TMP/labs/d.txt" "$TMP/labs/e.yaml.bak"

# comp WORD...: the candidates for the last WORD, sorted, one line.
comp() {
	(cd "$TMP/labs" && PATH="$TMP/bin:$PATH" bash --norc --noprofile -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
		_jnet; printf "%s\n" "${COMPREPLY[@]}"' comp "$COMP" "$@") | grep . | sort | tr '\n' ' ' | sed 's/ $//'
}

# Commands: exactly those `jnet help` lists, each one `jnet help CMD` knows.
cmds=$(comp jnet "")
want=$("$JNET" help | sed -n '/^commands:/,/^$/p' | grep -E '^  [a-z]' | awk '{print $1}' | sort -u | tr '\n' ' ' | sed 's/ $//')
eq "commands are those of jnet help" "$want" "$cmds"
for c in addm attach detach destroy show gc name bridge stats graph lab help version; do
	case " $cmds " in *" $c "*) pass ;; *) fail "command $c not offered: $cmds" ;; esac
done
for c in $cmds; do
	t "offered command '$c' is one jnet knows" "$JNET" help "$c"
done
eq "commands by prefix" "destroy detach" "$(comp jnet de)"
eq "commands after global options" "attach" "$(comp jnet -j -t netns att)"
eq "help COMMAND" "$cmds" "$(comp jnet help "")"

# Options and their values.
g=$(comp jnet -)
for o in -j -t -H -m --mac-salt; do
	case " $g " in *" $o "*) pass ;; *) fail "global option $o not offered: $g" ;; esac
done
eq "-t: the backends" "epair netgraph netns" "$(comp jnet -t "")"
eq "-m: the MAC modes" "jib random stable" "$(comp jnet -m "")"
eq "-H: directories only" "sub/" "$(comp jnet -H "" | sed 's|sub$|sub/|')"
eq "addm options" "-J -M -a -b -g -r" "$(comp jnet addm -)"
eq "show options" "-l" "$(comp jnet show -)"
eq "gc options" "--min-age" "$(comp jnet gc -)"
eq "lab down options" "--host -n" "$(comp jnet lab down -)"
eq "name: the end" "a b" "$(comp jnet name web 0 "")"

# Jail names, from jnet show, verbatim and never evaluated.
eq "attach: jail names" "$(printf '%s\n' db "$EVIL" web web2 | sort | tr '\n' ' ' | sed 's/ $//')" \
    "$(comp jnet attach "")"
eq "attach w: by prefix" "web web2" "$(comp jnet attach w)"
eq "destroy: jail names" "db" "$(comp jnet destroy d)"
eq "show: jail names" "web web2" "$(comp jnet show -l w)"
eq "addm -J: jail names" "web web2" "$(comp jnet addm -J w)"
eq "a jail name with shell code is offered as it is" "$EVIL" "$(comp jnet attach 'evil$')"
t "the shell code in a jail name never ran" test ! -e "$TMP/PWNED" -a ! -e "$TMP/PWNED2"
: >"$TMP/show.log"
comp jnet -t netgraph attach w >/dev/null
eq "the backend given (-t) is the one listed" "-t netgraph show" "$(cat "$TMP/show.log")"
eq "destroy takes one name" "" "$(comp jnet destroy web "")"

# Sub-commands and lab files.
eq "lab sub-commands" "down exec graph status up" "$(comp jnet lab "")"
eq "bridge sub-commands" "add del list" "$(comp jnet bridge "")"
for s in up down status graph exec; do
	eq "lab $s: lab files and directories" "a.yaml b.yml c.json sub" "$(comp jnet lab $s "")"
done
eq "lab up by prefix" "a.yaml" "$(comp jnet lab up a)"
eq "lab exec FILE: then a jail" "web web2" "$(comp jnet lab exec a.yaml w)"
case " $(comp jnet lab exec a.yaml a -- ech) " in
*" echo "*) pass ;; *) fail "lab exec ... --: commands not offered" ;;
esac
finish
