# The exact output of `jnet lab status` (text and --json, byte for byte, with its exit
# status) before up, on a complete lab and on a lab broken six ways, and the exit status and
# message of `jnet lab exec` when it cannot run the command (126: cannot execute, 127: not
# found, 125: jnet itself failed). The expected files are in lab_output/; MACs are fixed by
# JNET_MAC_SALT (lib.sh).
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

EXP=$(dirname "$TESTLIB")/lab_output
R=$LABS/router.yaml
P=$LABS/pair.yaml

# output DESC STATUS NAME ARGS...: `jnet ARGS...` exits STATUS, stdout is lab_output/NAME.
output() {
	d=$1 want=$2 name=$3; shift 3
	st "$d: exit $want" "$want" jnet "$@"
	same "$d: stdout is lab_output/$name" "$EXP/$name" "$WORK/out"
	eq "$d: nothing on stderr" "" "$(cat "$WORK/err")"
}

output "pair before up: text" 1 pair-before.txt lab status "$P"
output "pair before up: JSON" 1 pair-before.json --json lab status "$P"
t "pair: up" jnet lab up "$P"
output "pair up: text" 0 pair-up.txt lab status "$P"
output "pair up: JSON" 0 pair-up.json --json lab status "$P"

t "router: up" jnet lab up "$R"
ip -n router.router link del "$(jnet name router.router 1 b)"
ip -n router.a1 addr del 10.0.1.11/24 dev "$(jnet name router.a1 0 b)"
ip netns del router.b1
ip link set "$(jnet name router.a2 0 a)" down
ip link set "$(jnet name router.b2 0 a)" nomaster
ip link del router_lan1
output "router broken: text" 1 router-broken.txt lab status "$R"
output "router broken: JSON" 1 router-broken.json --json lab status "$R"

tf "exec: a file that cannot be executed is 126" 126 \
    '^jnet: lab exec pair: /etc/passwd: exec: Permission denied$' \
    jnet lab exec "$P" a -- /etc/passwd
tf "exec: a command not found is 127" 127 \
    '^jnet: lab exec pair: /nonexistent/x: exec: No such file or directory$' \
    jnet lab exec "$P" a -- /nonexistent/x
tf "exec: a jail not in the lab is 125" 125 '^jnet: lab exec pair: zz: no such jail in lab pair$' \
    jnet lab exec "$P" zz -- true
tf "exec: a jail not up is 125" 125 '^jnet: lab exec router: router.b1: not up \(run jnet lab up\)$' \
    jnet lab exec "$R" b1 -- true
tf "exec: a jail not up whose name is the command's is 125 (not 126/127)" 125 \
    '^jnet: lab exec router: router.b1: not up' jnet lab exec "$R" b1 -- router.b1

t "pair: down" jnet lab down "$P"
t "router: down" jnet lab down "$R"
eq "nothing left" 0 "$(jnet_leftovers)"
finish
