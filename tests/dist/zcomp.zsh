# zcomp.zsh FUNCDIR OUTDIR LINE...: the candidates zsh's completion system (compinit, the
# _jnet of FUNCDIR) offers at the end of each LINE, one per line, sorted, in OUTDIR/1,
# OUTDIR/2... One interactive zsh runs in a pseudo-terminal (zpty); a widget bound to ^T
# runs complete-word, then writes END; ^U clears the line for the next one. compadd is
# wrapped to record each match it is given (builtin compadd -O: the matches after
# compsys's own prefix matching).
zmodload zsh/zpty || exit 2
funcdir=$1 outdir=$2
shift 2
m=$outdir/matches
zpty z zsh -f -i || exit 2
zpty -w z "PS1= PS2= ; fpath=(${(q)funcdir} \$fpath)"
zpty -w z "autoload -Uz compinit && compinit -u -D; zstyle ':completion:*' list-prompt ''"
zpty -w z "compadd() { local -a m; if [[ \${@[(I)-[OAD]]} -eq 0 ]]; then builtin compadd -O m \"\$@\"; (( \$#m )) && print -rl -- \$m >>${(q)m}; fi; builtin compadd \"\$@\" }"
zpty -w z "_zc() { zle complete-word; print END >>${(q)m} }; zle -N _zc; bindkey '^T' _zc"
integer n=0 i
for line; do
  (( n++ ))
  : >$m
  zpty -w -n z "$line"$'\x14'
  for (( i = 0; i < 300; i++ )); do
    zpty -r -t z junk 2>/dev/null
    grep -qx END $m && break
    sleep 0.05
  done
  grep -qx END $m || { print -u2 "zcomp: no answer for '$line'"; zpty -d z; exit 3 }
  grep -vx END $m | sort -u >$outdir/$n
  zpty -w -n z $'\x15'
done
zpty -d z
rm -f $m
