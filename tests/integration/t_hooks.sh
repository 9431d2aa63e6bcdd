# start_if / stop_if: order, arguments, environment, rollback on a failing start_if,
# a failing stop_if reported while the teardown goes on, the timeout.
. "$TESTLIB"

mk_uplink em0 00:11:22:33:44:55
ip netns add web
LOG=$(mktemp)

# A hook that records its event, $1, its environment and the interface's state.
hook() {
	cat > "$HOOKDIR/$1.$2" <<HOOK
where=\$(ip -o link show "\$1" 2>/dev/null || ip -n "\$JNET_JAIL" -o link show "\$1")
case "\$where" in *"<"*UP*">"*) st=up ;; *) st=down ;; esac
echo "\$JNET_EVENT \$1 \$st end=\$JNET_END jail=\$JNET_JAIL peer=\$JNET_PEER bridge=\$JNET_BRIDGE index=\$JNET_INDEX backend=\$JNET_BACKEND mac=\$JNET_MAC" >> $LOG
HOOK
}
hook start_if e0a_web
hook start_if e0b_web
hook stop_if e0a_web
hook stop_if e0b_web

t "addm with hooks" jnet addm web em0
mac_a=$(nlc get e0a_web mac) mac_b=$(nlc -n web get e0b_web mac)
eq "start_if: host end then jail end, before up, with the environment" \
"start_if e0a_web down end=host jail=web peer=e0b_web bridge=em0bridge index=0 backend=netns mac=$mac_a
start_if e0b_web down end=jail jail=web peer=e0a_web bridge=em0bridge index=0 backend=netns mac=$mac_b" "$(cat "$LOG")"
t "host end up after hooks" nlc link e0a_web up
t "jail end up after hooks" nlc -n web link e0b_web up
: > "$LOG"
t "addm again runs no hook" jnet addm web em0
eq "no hook on a no-op addm" "" "$(cat "$LOG")"

t "destroy with hooks" jnet destroy web
eq "stop_if: after down, before destroy" \
"stop_if e0a_web down end=host jail=web peer=e0b_web bridge=em0bridge index=0 backend=netns mac=$mac_a
stop_if e0b_web down end=jail jail=web peer=e0a_web bridge=em0bridge index=0 backend=netns mac=$mac_b" "$(cat "$LOG")"
t "gone after destroy" nlc absent e0a_web

# A failing start_if on the second link rolls back everything, running stop_if for the
# first link (whose start_if ran), and removes the bridge it created.
rm -f "$HOOKDIR"/*
t "bridge del em0bridge (kept after the last link went)" jnet bridge del em0bridge
mk_uplink em1 00:11:22:33:44:66
hook start_if e0a_web
hook stop_if e0a_web
printf 'echo "no address for %s" >&2\nexit 3\n' '$1' > "$HOOKDIR/start_if.e1b_web"
: > "$LOG"
tf "failing start_if aborts addm" 1 "addm web: .*/start_if.e1b_web: hook exited with status 3: no address for e1b_web" \
    jnet addm web em0 em1
eq "rollback ran stop_if for the first link" "start_if e0a_web down end=host jail=web peer=e0b_web bridge=em0bridge index=0 backend=netns mac=$(jnet name web 0 a >/dev/null; echo "$(sed -n 's/.*mac=//p' "$LOG" | head -1)")
stop_if e0a_web down end=host jail=web peer=e0b_web bridge=em0bridge index=0 backend=netns mac=$(sed -n 's/.*mac=//p' "$LOG" | head -1)" "$(cat "$LOG")"
t "nothing left of web" nlc absent e0a_web e1a_web e0b_web e1b_web
t "nothing left in the jail" nlc -n web absent e0b_web e1b_web
t "bridges created by the failed addm removed" nlc absent em0bridge em1bridge
t "uplinks untouched" nlc link em0 nomaster up
eq "nothing of jnet left after rollback" 0 "$(jnet_leftovers)"

# A failing stop_if is reported; the teardown goes on.
rm -f "$HOOKDIR"/*
t "addm web em0 (no hooks)" jnet addm web em0
printf 'echo "stop failed" >&2\nexit 1\n' > "$HOOKDIR/stop_if.e0a_web"
tf "failing stop_if is a warning" 0 "destroy web: warning: .*stop_if.e0a_web: hook exited with status 1: stop failed" jnet destroy web
t "destroyed anyway" nlc absent e0a_web

# The timeout kills a hung hook (its process group) and rolls back.
rm -f "$HOOKDIR"/*
printf 'sleep 30 &\nsleep 30\n' > "$HOOKDIR/start_if.e0a_web"
start=$(date +%s)
JNET_HOOK_TIMEOUT=1 tf "hung start_if times out" 1 "start_if.e0a_web: hook killed after 1000 ms" jnet addm web em0
eq "timeout took about a second" 1 $(( $(date +%s) - start <= 3 ))
t "rolled back after timeout" nlc absent e0a_web

# -H overrides the hook directory.
rm -f "$HOOKDIR"/*
OTHER=$(mktemp -d)
printf 'echo "$1" > %s/ran\n' "$OTHER" > "$OTHER/start_if.e0a_web"
t "addm -H DIR" jnet -H "$OTHER" addm web em0
eq "hook from -H ran" e0a_web "$(cat "$OTHER/ran" 2>/dev/null)"
t "destroy" jnet destroy web
rm -rf "$OTHER" "$LOG"
jnet bridge del em0bridge >/dev/null 2>&1
jnet bridge del em1bridge >/dev/null 2>&1
eq "nothing of jnet left" 0 "$(jnet_leftovers)"
finish
