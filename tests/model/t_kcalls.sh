# Kernel calls per verb of both FreeBSD backends, counted on the model (kcalls.sh: the
# trace of each command, turned into the system calls src/fbsd makes by kcalls.awk).
# They are deterministic, so:
#   - every count is pinned (the table below): a change that adds a call fails here;
#     one that removes calls fails too, until the table says so (tests/README.md);
#   - one more jail costs the same with 1 and with 50 jails that have links;
#   - addm and destroy never fork (netgraph's destroy of a link in a live jail does: see
#     OVER), nothing execs; the goal of at most 10 calls per link (a command with two
#     links minus the same with one) holds where OVER does not say why it cannot.
. "$TESTLIB"
KCALLS=$(dirname "$TESTLIB")/kcalls.sh

sh "$KCALLS" -n 1 >"$TMP/n1" 2>"$ERR" || fail "kcalls.sh -n 1: $(cat "$ERR")"
sh "$KCALLS" -n 50 >"$TMP/n50" 2>"$ERR" || fail "kcalls.sh -n 50: $(cat "$ERR")"

# --- the same calls with 1 and with 50 jails that have links (listings included)
if cmp -s "$TMP/n1" "$TMP/n50"; then pass; else
	fail "1 and 50 jails with links: different calls
$(diff "$TMP/n1" "$TMP/n50")"
fi

# --- the exact counts (steady state: modules loaded, bridge em0bridge there)
cat >"$TMP/want" <<'EOF'
epair addm links=1 total=30 ioctl=25 netgraph=0 libjail=1 sysctl=2 kld=1 socket=1 fork=0 exec=0 listed=5
epair attach links=1 total=18 ioctl=11 netgraph=0 libjail=2 sysctl=2 kld=0 socket=2 fork=1 exec=0 listed=3
epair detach links=1 total=17 ioctl=11 netgraph=0 libjail=2 sysctl=1 kld=0 socket=2 fork=1 exec=0 listed=3
epair attach-again links=1 total=18 ioctl=11 netgraph=0 libjail=2 sysctl=2 kld=0 socket=2 fork=1 exec=0 listed=3
epair destroy links=1 total=12 ioctl=8 netgraph=0 libjail=2 sysctl=1 kld=0 socket=1 fork=0 exec=0 listed=3
epair destroy-dying links=1 total=12 ioctl=8 netgraph=0 libjail=2 sysctl=1 kld=0 socket=1 fork=0 exec=0 listed=3
epair addm links=2 total=43 ioctl=38 netgraph=0 libjail=1 sysctl=2 kld=1 socket=1 fork=0 exec=0 listed=5
epair attach links=2 total=33 ioctl=21 netgraph=0 libjail=3 sysctl=4 kld=0 socket=3 fork=2 exec=0 listed=6
epair detach links=2 total=32 ioctl=21 netgraph=0 libjail=4 sysctl=2 kld=0 socket=3 fork=2 exec=0 listed=6
epair attach-again links=2 total=33 ioctl=21 netgraph=0 libjail=3 sysctl=4 kld=0 socket=3 fork=2 exec=0 listed=6
epair destroy links=2 total=21 ioctl=15 netgraph=0 libjail=3 sysctl=2 kld=0 socket=1 fork=0 exec=0 listed=6
epair destroy-dying links=2 total=21 ioctl=15 netgraph=0 libjail=3 sysctl=2 kld=0 socket=1 fork=0 exec=0 listed=6
epair bridge-add links=0 total=10 ioctl=8 netgraph=0 libjail=0 sysctl=0 kld=1 socket=1 fork=0 exec=0 listed=0
epair bridge-del links=0 total=9 ioctl=7 netgraph=0 libjail=0 sysctl=1 kld=0 socket=1 fork=0 exec=0 listed=3
netgraph addm links=1 total=31 ioctl=10 netgraph=16 libjail=0 sysctl=1 kld=2 socket=2 fork=0 exec=0 listed=3
netgraph attach links=1 total=22 ioctl=7 netgraph=7 libjail=2 sysctl=1 kld=1 socket=3 fork=1 exec=0 listed=3
netgraph detach links=1 total=22 ioctl=8 netgraph=7 libjail=2 sysctl=0 kld=1 socket=3 fork=1 exec=0 listed=1
netgraph attach-again links=1 total=22 ioctl=7 netgraph=7 libjail=2 sysctl=1 kld=1 socket=3 fork=1 exec=0 listed=3
netgraph destroy links=1 total=18 ioctl=3 netgraph=8 libjail=2 sysctl=0 kld=1 socket=3 fork=1 exec=0 listed=1
netgraph destroy-dying links=1 total=16 ioctl=1 netgraph=11 libjail=1 sysctl=0 kld=1 socket=2 fork=0 exec=0 listed=1
netgraph addm links=2 total=58 ioctl=20 netgraph=32 libjail=0 sysctl=2 kld=2 socket=2 fork=0 exec=0 listed=6
netgraph attach links=2 total=39 ioctl=14 netgraph=13 libjail=3 sysctl=2 kld=1 socket=4 fork=2 exec=0 listed=6
netgraph detach links=2 total=40 ioctl=16 netgraph=13 libjail=4 sysctl=0 kld=1 socket=4 fork=2 exec=0 listed=2
netgraph attach-again links=2 total=39 ioctl=14 netgraph=13 libjail=3 sysctl=2 kld=1 socket=4 fork=2 exec=0 listed=6
netgraph destroy links=2 total=32 ioctl=6 netgraph=15 libjail=4 sysctl=0 kld=1 socket=4 fork=2 exec=0 listed=2
netgraph destroy-dying links=2 total=25 ioctl=2 netgraph=18 libjail=2 sysctl=0 kld=1 socket=2 fork=0 exec=0 listed=2
netgraph bridge-add links=0 total=10 ioctl=1 netgraph=5 libjail=0 sysctl=0 kld=2 socket=2 fork=0 exec=0 listed=0
netgraph bridge-del links=0 total=11 ioctl=0 netgraph=9 libjail=0 sysctl=0 kld=1 socket=1 fork=0 exec=0 listed=0
EOF
while read -r be verb links rest; do
	got=$(awk -v b="$be" -v v="$verb" -v l="$links" '$1 == b && $2 == v && $3 == l' "$TMP/n1")
	eq "$be $verb $links" "$be $verb $links $rest" "$got"
done <"$TMP/want"
eq "no command more, none less" "$(wc -l <"$TMP/want")" "$(wc -l <"$TMP/n1")"

# --- no fork, no exec: addm, and destroy as jail.conf runs it (exec.poststop: the jail
# removed, dying); epair's destroy also with the jail alive. Every command: no exec.
awk '$2 == "addm" || $2 == "destroy-dying" || ($1 == "epair" && $2 == "destroy")' \
    "$TMP/n1" >"$TMP/ad"
eq "addm, destroy: no fork" "" "$(grep -v ' fork=0 ' "$TMP/ad")"
eq "no command execs" "" "$(grep -v ' exec=0 ' "$TMP/n1")"

# --- the goal: at most 10 calls per link. OVER: backend verb per-link why (each pinned).
OVER="epair addm 13 the 12 writes of a link (SIOCIFCREATE2; group jnet and the tag on each end; both renamed; both MACs; BRDGADD; each end up, one SIOCSIFFLAGS) and the core's probe of the next name
epair attach 15 each end read once (description, flags, MAC: SIOCGIFINDEX + NET_RT_IFLIST; the host end's groups), its bridge (the tag's, BRDGGIFFLGS), SIOCSIFVNET, and the jail end set up inside the jail, which the move downed (if.c if_vmove -> if_down): a fork, jail_attach, a socket there
epair detach 15 the host end read (5) and its bridge (1), the jail end missed on the host, its jail looked up, its flags asked inside the jail to keep them (a fork, jail_attach, a socket, the ioctl), SIOCSIFRVNET, group jnet and up again (the move dropped both)
netgraph addm 27 the core reads the uplink and its bridge per argument (12: their nodes, the uplink's flags, description, groups, MTU, MAC, hooks) and probes the link's name (1); 14 make it: the node made, probed for its ID and interface (messages with replies), tagged, given its MAC, hooked to the bridge, named, renamed, up (read-modify-write)
netgraph attach 17 the node, its hooks, its interface and that interface read (messages with replies: the interface is the node's only with the node's MAC), and the interface set up inside the jail after SIOCSIFVNET downed it (a fork)
netgraph detach 18 the read of the link enters the jail once (flags and description in one child) to tell a jng eiface from jnet's; home: SIOCSIFRVNET, group, up (read-modify-write)
netgraph destroy 14 the in-jail read of each link (one fork: an undescribed eiface named like jnet's is jng's, not jnet's)"
for be in epair netgraph; do
	for verb in addm attach detach destroy destroy-dying; do
		t1=$(awk -v b=$be -v v=$verb '$1 == b && $2 == v && $3 == "links=1" {sub("total=", "", $4); print $4}' "$TMP/n1")
		t2=$(awk -v b=$be -v v=$verb '$1 == b && $2 == v && $3 == "links=2" {sub("total=", "", $4); print $4}' "$TMP/n1")
		per=$((t2 - t1))
		over=$(printf '%s\n' "$OVER" | awk -v b=$be -v v=$verb '$1 == b && $2 == v {print $3}')
		if [ -n "$over" ]; then
			eq "$be $verb: $per calls per link (over the goal: see OVER)" "$over" "$per"
		elif [ "$per" -le 10 ]; then
			pass
		else
			fail "$be $verb: $per calls per link, the goal is at most 10"
		fi
		echo "$be $verb: $t1 calls with one link, $per per link"
	done
done
finish
