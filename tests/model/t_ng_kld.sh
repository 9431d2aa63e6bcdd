# Kernel modules, netgraph backend. The model starts as a freshly booted kernel: no
# ng_socket, ng_eiface, ng_bridge or ng_ether. jnet loads what a command needs, once:
# ng_socket before its control socket (every command), ng_eiface and ng_bridge before it
# makes such nodes, ng_ether before it hangs a bridge off an uplink (an interface has no
# ether node without it). Where loading is refused (a jail, securelevel > 0) it says which
# module and how to fix it, and changes nothing. NGM_MKPEER of an unloaded type loads the
# module itself and fails with kldload's error (ng_socket.c ngc_send).
. "$TESTLIB"
: "${NGCTL:?NGCTL must point at jnet-model-ngctl}"
export JNET_BACKEND=netgraph
ngctl() { "$NGCTL" "$@"; }

fresh >/dev/null
eq "a fresh box has no module loaded" "" "$(mctl kld list)"

# --- refused: nothing is made, the error names the module and the fix
mctl kld refuse EPERM
before=$(mctl dump)
tf "show where kldload is refused: ng_socket" 1 "ng_socket: kldload ng_socket: not permitted.*kldload ng_socket as root on the host, or add it to kld_list in rc.conf" jnet show
tf "addm where kldload is refused" 1 "kldload ng_socket: not permitted" jnet addm web em0
eq "nothing changed" "$before" "$(mctl dump)"
mctl kld load ng_socket
tf "addm: ng_bridge refused" 1 "kldload ng_bridge: not permitted" jnet addm web em0
mctl kld load ng_bridge
tf "addm: ng_ether refused" 1 "kldload ng_ether: not permitted" jnet addm web em0
mctl kld load ng_ether
tf "addm: ng_eiface refused" 1 "kldload ng_eiface: not permitted" jnet addm web em0
eq "addm undid its bridge" "" "$(ngctl ls -n | awk '$2 == "bridge" {print $1}')"
tf "NGM_MKPEER of an unloaded type: kldload's error" 1 "Operation not permitted" ngctl mkpeer . eiface x ether
t "bridge add still works" jnet bridge add lab0
t "bridge del too" jnet bridge del lab0

# --- allowed: a fresh box, every command
kld_fresh_addm
eq "it loaded what it needs" "ng_socket ng_eiface ng_bridge ng_ether" "$(mctl kld list)"
eq "ng_eiface once per command (not per link)" 1 "$(grep -c ' kldload ng_eiface$' "$TMP/trace")"
eq "ng_socket first" "kldload ng_socket" "$(head -1 "$TMP/trace" | awk '{print $3, $4}')"
eq "em0's ether node came with ng_ether" ether "$(ngctl info em0: | awk '{print $2}')"
kld_then_works

# --- a load stays, whatever the message that made it does
fresh >/dev/null
tf "NGM_MKPEER of ether: ng_ether is loaded, then the constructor refuses" 1 "Invalid argument" \
    ngctl mkpeer . ether x lower
eq "ng_ether stays loaded (and ng_socket, which the control socket loaded)" \
    "ng_socket ng_ether" "$(mctl kld list)"

kld_preloaded all
finish
