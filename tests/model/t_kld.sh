# Kernel modules, epair backend. The model starts as a freshly booted kernel: no if_epair,
# no if_bridge; SIOCIFCREATE2 of their cloners is EINVAL until they are loaded
# (if_clone.c if_clone_create). jnet loads what a command needs, once, as ifconfig(8)
# does (ifmaybeload); where loading is refused (a jail, securelevel > 0) it says which
# module and how to fix it, and changes nothing.
. "$TESTLIB"

fresh >/dev/null
eq "a fresh box has no module loaded" "" "$(mctl kld list)"

# --- refused: nothing is made, the error names the module and the fix
mctl kld refuse EPERM
before=$(mctl dump)
tf "addm where kldload is refused" 1 "if_bridge: kldload if_bridge: not permitted.*kldload if_bridge as root on the host, or add it to kld_list in rc.conf" jnet addm web em0
eq "addm left nothing" "$before" "$(mctl dump)"
tf "bridge add where kldload is refused" 1 "kldload if_bridge: not permitted" jnet bridge add lab0
tf "addm to an existing bridge: if_epair refused" 1 "kldload if_epair: not permitted" \
    sh -c 'mctl() { "$MODELCTL" "$@"; }; mctl kld load if_bridge && mctl kld refuse off &&
        "$JNET" bridge add lab0 em0 && mctl kld refuse EPERM && "$JNET" addm web lab0'
eq "only the bridge is there" "lab0" "$(mctl ls | grep -v -e lo0 -e em0 | tr '\n' ' ' | sed 's/ $//')"
t "commands that make nothing still work" jnet show
t "bridge list too" jnet bridge list
t "bridge del still works" jnet bridge del lab0

# --- allowed: a fresh box, every command
kld_fresh_addm
eq "it loaded if_bridge and if_epair" "if_epair if_bridge" "$(mctl kld list)"
eq "if_epair once per command (not per link)" 1 "$(grep -c ' kldload if_epair$' "$TMP/trace")"
eq "if_bridge once" 1 "$(grep -c ' kldload if_bridge$' "$TMP/trace")"
eq "before the first clone" kldload "$(grep -m1 -e SIOCIFCREATE2 -e kldload "$TMP/trace" | awk '{print $3}')"
kld_then_works

kld_preloaded if_epair if_bridge
finish
