# zcomp.zsh FUNCDIR OUTFILE LINE: the candidates zsh's completion system (compinit, the
# _jnet of FUNCDIR) offers for LINE (completion at its end), one per line, in OUTFILE.
# An interactive zsh runs in a pseudo-terminal (zpty); a widget bound to ^T runs
# complete-word, then writes END. compadd is wrapped to record each match it is given
# (builtin compadd -O: the matches, after compsys's own prefix matching).
zmodload zsh/zpty || exit 2
funcdir=$1 out=$2 line=$3
: >"$out"
zpty z zsh -f -i || exit 2
zpty -w z "PS1= PS2= ; unsetopt zle_bracketed_paste 2>/dev/null; fpath=(${(q)funcdir} \$fpath)"
zpty -w z "autoload -Uz compinit && compinit -u -D; zstyle ':completion:*' list-prompt ''"
zpty -w z "compadd() { local -a m; if [[ \${@[(I)-[OAD]]} -eq 0 ]]; then builtin compadd -O m \"\$@\"; (( \$#m )) && print -rl -- \$m >>${(q)out}.m; fi; builtin compadd \"\$@\" }"
zpty -w z "_zc() { zle complete-word; print END >>${(q)out}.m }; zle -N _zc; bindkey '^T' _zc"
zpty -w -n z "$line"$'\x14'
integer i
for (( i = 0; i < 100; i++ )); do
  zpty -r -t z junk 2>/dev/null
  [[ -f $out.m ]] && grep -qx END $out.m && break
  sleep 0.1
done
zpty -d z
[[ -f $out.m ]] || exit 3
grep -vx END $out.m | sort -u >$out
rm -f $out.m
