# jnet stats and jnet graph (netgraph) byte for byte: the JSON of stats (with and without
# -j: it is JSON either way), a link on no bridge (null bridge and hook, no counters), and
# the DOT of graph with two bridges, links in and out of their jail and a link left on no
# bridge. Pins the output that the CLI renders from the core's data (cmd_view.c).
. "$TESTLIB"
: "${NGCTL:?NGCTL must point at jnet-model-ngctl}"
export JNET_BACKEND=netgraph
fresh

counters() { # HOOK BASE: the link's entry; counter i is BASE + i
	printf '  "%s": {\n    "bridge": "%s",\n    "hook": "%s"' "$1" "$2" "$3"
	i=0
	for k in recvOctets recvPackets recvMulticast recvBroadcast recvUnknown recvRunts \
	    recvInvalid xmitOctets xmitPackets xmitMulticasts xmitBroadcasts loopDrops \
	    loopDetects memoryFailures; do
		if [ "$4" = 0 ]; then v=0; else v=$(($4 + i)); fi
		printf ',\n    "%s": %s' "$k" "$v"
		i=$((i + 1))
	done
	printf '\n  }'
}

t "addm web em0 em0" jnet addm web em0 em0
t "addm db em0" jnet addm db em0
t "bridge add lab0" jnet bridge add lab0
t "addm lone lab0" jnet addm lone lab0
mctl jail-create web >/dev/null
t "attach web" jnet attach web
t "traffic on web's first link" "$NGCTL" traffic em0bridge link2 500

want="{
$(counters ng0_web em0bridge link2 500),
$(counters ng1_web em0bridge link3 0)
}"
t "stats web" jnet stats web
eq "stats web, whole" "$want" "$(cat "$OUT")"
t "stats -j web" jnet -j stats web
eq "stats -j web, the same" "$want" "$(cat "$OUT")"
t "stats lone" jnet stats lone
eq "stats lone" "{
$(counters ng0_lone lab0 link0 0)
}" "$(cat "$OUT")"
tf "stats of a jail without links" 1 "nobody: jail has no jnet links" jnet stats nobody

t "graph" jnet graph
eq "graph, whole" 'graph jnet {
	// jnet -t netgraph graph: ng_bridge nodes, their links, jnet'"'"'s eifaces
	rankdir=LR;
	node [fontname="Helvetica", fontsize=10];
	edge [fontname="Helvetica", fontsize=8];

	"em0bridge" [shape=box, style="rounded,bold", label="em0bridge\nng_bridge"];
	"em0" [shape=box, label="em0\nng_ether (uplink)"];
	"ng0_web" [shape=ellipse, label="ng0_web\njail web, link 0\nin the jail"];
	"ng1_web" [shape=ellipse, label="ng1_web\njail web, link 1\nin the jail"];
	"ng0_db" [shape=ellipse, label="ng0_db\njail db, link 0\non the host"];
	"em0bridge" -- "em0" [taillabel="link0", headlabel="lower"];
	"em0bridge" -- "em0" [taillabel="link1", headlabel="upper"];
	"em0bridge" -- "ng0_web" [taillabel="link2", headlabel="ether"];
	"em0bridge" -- "ng1_web" [taillabel="link3", headlabel="ether"];
	"em0bridge" -- "ng0_db" [taillabel="link4", headlabel="ether"];

	"lab0" [shape=box, style="rounded,bold", label="lab0\nng_bridge"];
	"ng0_lone" [shape=ellipse, label="ng0_lone\njail lone, link 0\non the host"];
	"lab0" -- "ng0_lone" [taillabel="link0", headlabel="ether"];
}' "$(cat "$OUT")"

# The bridge goes (by hand): the link is on none.
t "shutdown lab0 by hand" "$NGCTL" shutdown lab0:
t "stats lone, on no bridge" jnet stats lone
eq "null bridge and hook, no counters" '{
  "ng0_lone": {
    "bridge": null,
    "hook": null
  }
}' "$(cat "$OUT")"
t "graph" jnet graph
eq "the link on no bridge comes last, alone" '	"em0bridge" -- "ng0_db" [taillabel="link4", headlabel="ether"];

	"ng0_lone" [shape=ellipse, label="ng0_lone\njail lone, link 0\non the host"];
}' "$(tail -4 "$OUT")"
finish
