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

# comp LINE: the candidates at the end of LINE, sorted, one line.
comp() {
	(cd "$TMP/labs" && PATH="$TMP/bin:$PATH" zsh -f "$ZC" "$FUNCS" "$TMP/zc" "$1") ||
	    echo "zcomp failed ($?)"
	tr '\n' ' ' <"$TMP/zc" | sed 's/ $//'
}

want=$("$JNET" help | sed -n '/^commands:/,/^$/p' | grep -E '^  [a-z]' | awk '{print $1}' | sort -u | tr '\n' ' ' | sed 's/ $//')
eq "commands are those of jnet help" "$want" "$(comp 'jnet ')"
eq "commands by prefix" "destroy detach" "$(comp 'jnet de')"
eq "commands after global options" "attach" "$(comp 'jnet -j -t netns att')"
eq "-t: the backends" "epair netgraph netns" "$(comp 'jnet -t ')"
eq "addm options" "-J -M -b" "$(comp 'jnet addm -')"
eq "gc options" "--min-age" "$(comp 'jnet gc -')"
eq "lab down options" "-n" "$(comp 'jnet lab down -')"
eq "name: the end" "a b" "$(comp 'jnet name web 0 ')"
eq "attach w: jail names" "web web2" "$(comp 'jnet attach w')"
: >"$TMP/show.log"
eq "-t netgraph attach w: jail names" "web web2" "$(comp 'jnet -t netgraph attach w')"
eq "the backend given (-t) is the one listed" "-t netgraph show" "$(cat "$TMP/show.log")"
eq "a jail name with shell code is offered as it is" "$EVIL" "$(comp 'jnet attach evil')"
t "the shell code in a jail name never ran" test ! -e "$TMP/PWNED"
eq "destroy takes one name" "" "$(comp 'jnet destroy web ')"
eq "lab sub-commands" "down exec graph status up" "$(comp 'jnet lab ')"
eq "bridge sub-commands" "add del list" "$(comp 'jnet bridge ')"
eq "lab up: lab files and directories" "a.yaml b.yml c.json sub" "$(comp 'jnet lab up ')"
eq "lab status: lab files" "a.yaml" "$(comp 'jnet lab status a')"
eq "lab exec FILE: then a jail" "web web2" "$(comp 'jnet lab exec a.yaml w')"
case " $(comp 'jnet lab exec a.yaml a -- ech') " in
*" echo "*) pass ;; *) fail "lab exec ... --: commands not offered" ;;
esac
finish
