# ipMasq on FreeBSD through a pf table (fbc_masq), epair and netgraph backends, one
# process per call (jnet-model-pfdrv) on the model's state file, next to somebody else's
# pfctl (jnet-modelctl pf add/del): the container's address alone in table cni-nat,
# jnet's record in jnet-cni-nat, add twice = once, delete of what is not there or of
# what jnet did not add = success and nothing removed, pf not loaded = a clear error,
# an injected fault at each kernel call = the tables as they were.
. "$TESTLIB"
: "${PFDRV:?PFDRV must point at jnet-model-pfdrv}"
pfdrv() { "$PFDRV" "$@"; }
# The table's addresses as pfctl -T show prints them, sorted, on one line.
show() { mctl pf show "$1" 2>&1 | sed 's/^ *//' | sort | tr '\n' ' ' | sed 's/ $//'; }

for be in epair netgraph; do
	# The netgraph backend's open makes one kernel call first (kldload ng_socket).
	skip=0
	[ $be = netgraph ] && skip=1
	fresh >/dev/null
	tf "$be: pf not loaded: a clear error" 1 'pf is not loaded \(kldload pf, pf_enable=YES\)' \
	    pfdrv -t $be add - 10.88.0.5/16
	t "$be: pf not loaded: a delete has nothing to do" pfdrv -t $be del - 10.88.0.5/16

	mctl pf load
	t "$be: somebody's pfctl -T add" mctl pf add cni-nat 10.88.0.7
	t "$be: pf.conf's network" mctl pf add cni-nat 10.89.0.0/24
	t "$be: add" pfdrv -t $be add - 10.88.0.5/16
	t "$be: add again" pfdrv -t $be add - 10.88.0.5/16
	t "$be: add an address that is there already" pfdrv -t $be add - 10.88.0.7/16
	t "$be: add IPv6" pfdrv -t $be add - fd00:88::5/64
	eq "$be: the addresses alone, once" "10.88.0.5 10.88.0.7 10.89.0.0/24 fd00:88::5" \
	    "$(show cni-nat)"
	eq "$be: jnet's record: what it added" "10.88.0.5 fd00:88::5" "$(show jnet-cni-nat)"
	eq "$be: pfdrv show lists the same" "10.88.0.5/32 fd00:88::5/128" \
	    "$(pfdrv show jnet-cni-nat | tr '\n' ' ' | sed 's/ $//')"

	# A fault at each kernel call of a delete: the tables as they were, then it works.
	before=$(show cni-nat)/$(show jnet-cni-nat)
	for k in 1 2; do
		tf "$be: del, fault at call $k" 1 "DIOCRDELADDRS.*Input/output error" \
		    env JNET_MODEL_FAIL="$((k + skip)):EIO" "$PFDRV" -t $be del - 10.88.0.5/16
		eq "$be: del, fault at call $k: tables as they were" "$before" \
		    "$(show cni-nat)/$(show jnet-cni-nat)"
	done

	t "$be: del" pfdrv -t $be del - 10.88.0.5/16
	t "$be: del again" pfdrv -t $be del - 10.88.0.5/16
	t "$be: del of what jnet did not add" pfdrv -t $be del - 10.88.0.7/16
	t "$be: del IPv6" pfdrv -t $be del - fd00:88::5/64
	eq "$be: only others' entries are left" "10.88.0.7 10.89.0.0/24" "$(show cni-nat)"
	eq "$be: jnet's record is empty" "" "$(show jnet-cni-nat)"

	t "$be: another table by name" pfdrv -t $be add jnet-scratch 192.0.2.9/24
	eq "$be: it went there" "192.0.2.9" "$(show jnet-scratch)"
	eq "$be: cni-nat untouched" "10.88.0.7 10.89.0.0/24" "$(show cni-nat)"
	tf "$be: a table name too long" 1 "1 to 26 characters" \
	    pfdrv -t $be add abcdefghijklmnopqrstuvwxyz0 192.0.2.9/24

	t "$be: pf unloaded" mctl pf unload
	tf "$be: no /dev/pf" 1 "No such file or directory" mctl pf show cni-nat
	mctl pf load
	tf "$be: the tables went with it" 1 "No such process" mctl pf show cni-nat
done
finish
