# zsh completion (docs/dist/completion/_jnet): zsh -n, then zsh's completion system itself
# (compinit in an interactive zsh on a pseudo-terminal, tests/dist/zcomp.zsh) asked for the
# candidates of command lines. The same fake jnet as the bash test: `show` answers canned
# jail names (one of them shell code that must never run), the rest is the real jnet.
. "$(dirname "$0")/lib.sh"
: "${JNET:?JNET must point at jnet}"
command -v zsh >/dev/null 2>&1 ||
    { echo "SKIP: zsh not installed (Debian: apt-get install zsh): _jnet not checked"; exit 77; }
FUNCS=$DIST/completion
ZC=$(cd "$(dirname "$0")" && pwd)/zcomp.zsh
t "zsh -n" zsh -n "$FUNCS/_jnet"
t "#compdef jnet" has "$FUNCS/_jnet" "#compdef jnet"
zsh -f -c 'zmodload zsh/zpty' 2>/dev/null ||
    { echo "SKIP: zsh without zsh/zpty: only the syntax was checked"; finish; exit 77; }

mkdir -p "$TMP/bin" "$TMP/labs/sub"
EVIL='evil$(touch${IFS}'"$TMP"'/PWNED)'
cat >"$TMP/bin/jnet" <<FAKE
#!/bin/sh
for a; do
	case \$a in show) echo "\$*" >>"$TMP/show.log"
		printf '%s\n' web db '$EVIL' web2; exit 0 ;; esac
done
exec "$JNET" "\$@"
FAKE
chmod +x "$TMP/bin/jnet"
touch "$TMP/labs/a.yaml" "$TMP/labs/b.yml" "$TMP/labs/c.json" "$TMP/labs/d.txt"

want=$("$JNET" help | sed -n '/^commands:/,/^$/p' | grep -E '^  [a-z]' | awk '{print $1}' | sort -u | tr '\n' ' ' | sed 's/ $//')
# Cases: DESCRIPTION|LINE|candidates expected (sorted, space-separated). All the lines go to
# one zsh (zcomp.zsh), then each answer is compared.
cat >"$TMP/cases" <<CASES
commands are those of jnet help|jnet |$want
commands by prefix|jnet de|destroy detach
commands after global options|jnet -j -t netns att|attach
-t: the backends|jnet -t |epair netgraph netns
addm options|jnet addm -|-J -M -a -b -g -r
gc options|jnet gc -|--min-age
lab down options|jnet lab down -|--host -n
name: the end|jnet name web 0 |a b
attach w: jail names|jnet attach w|web web2
a jail name with shell code is offered as it is|jnet attach evil|$EVIL
destroy takes one name|jnet destroy web |
lab sub-commands|jnet lab |down exec graph status up
bridge sub-commands|jnet bridge |add del list
lab up: lab files and directories|jnet lab up |a.yaml b.yml c.json sub
lab status: lab files|jnet lab status a|a.yaml
lab exec FILE: then a jail|jnet lab exec a.yaml w|web web2
lab exec ... -- ech: commands|jnet lab exec a.yaml a -- ech|echo
CASES
mkdir "$TMP/zc"
run() { (cd "$TMP/labs" && PATH="$TMP/bin:$PATH" zsh -f "$ZC" "$FUNCS" "$TMP/zc" "$@"); }
set --
while IFS='|' read -r d l w; do set -- "$@" "$l"; done <"$TMP/cases"
t "zcomp answers every line" run "$@"
n=0
while IFS='|' read -r d l w; do
	n=$((n + 1))
	got=$(tr '\n' ' ' <"$TMP/zc/$n" 2>/dev/null | sed 's/ $//')
	case $d in
	*"commands") case " $got " in *" $w "*) pass ;; *) fail "$d: no '$w' in '$got'" ;; esac ;;
	*) eq "$d" "$w" "$got" ;;
	esac
done <"$TMP/cases"
t "the shell code in a jail name never ran" test ! -e "$TMP/PWNED"
: >"$TMP/show.log"
run 'jnet -t netgraph attach w' >/dev/null
eq "-t netgraph attach w: jail names" "web web2" "$(tr '\n' ' ' <"$TMP/zc/1" | sed 's/ $//')"
eq "the backend given (-t) is the one listed" "-t netgraph show" "$(cat "$TMP/show.log")"
finish
