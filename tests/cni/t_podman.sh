#!/bin/sh
# podman as a real CNI client (issue 11): Debian's podman runs containers on a CNI network
# whose plugin is the one under test, inside the private-namespace sandbox.
#
#   sh tests/cni/t_podman.sh JNET_BINARY
#
# PODMAN_CNI_TYPE: the plugin type of the network, "jnet" (default) or "bridge" (Debian's
# reference plugin, the same harness proven with it). Checks: two containers on the network
# ping each other and the gateway; `podman stop` / `podman rm` leave nothing of the plugin's
# (no veth, no interface tagged "jnet/... link", no namespace, no address held by host-local);
# 50 `podman run --rm` in a row leave the interfaces as they were.
#
# Everything podman writes lives in a tmpfs of this test (containers.conf and storage.conf
# through CONTAINERS_CONF / CONTAINERS_STORAGE_CONF, graphroot, runroot, tmp_dir, the CNI
# cache /var/lib/cni and /etc/cni/net.d covered by tmpfs mounts in the private mount
# namespace): the machine's own podman state is never read or written.
#
# Exit 77 (skipped, with the reason) when podman, runc or busybox-static are missing
# (.ci/setup: jnet_install_podman), when the jnet binary has no CNI mode yet, or when podman
# cannot run a container here at all (checked with a container without network first).
set -u
TYPE=${PODMAN_CNI_TYPE:-jnet}
NET=jnettest
SUBNET=10.89.7 # /24; the gateway is .1
BR=cni-jnet0

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

if [ "${JNET_PODMAN_INNER:-}" != 1 ]; then
	[ $# -eq 1 ] || { echo "usage: t_podman.sh JNET_BINARY" >&2; exit 2; }
	case $TYPE in jnet | bridge) ;; *) echo "PODMAN_CNI_TYPE: 'jnet' or 'bridge', not '$TYPE'" >&2; exit 2 ;; esac
	for t in podman runc conmon; do
		command -v $t >/dev/null 2>&1 ||
		    skip "'$t' is not installed (Debian: podman runc; .ci/setup jnet_install_podman)"
	done
	[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
	    skip "no static /bin/busybox for the image (Debian: busybox-static)"
	[ -x /usr/lib/cni/host-local ] ||
	    skip "no /usr/lib/cni/host-local (Debian: containernetworking-plugins)"
	JNET=$(readlink -f "$1")
	if [ "$TYPE" = jnet ]; then
		[ -x "$JNET" ] || fail "$1 is not an executable"
		CNI_COMMAND=VERSION "$JNET" </dev/null 2>/dev/null | grep -q '"supportedVersions"' ||
		    skip "$JNET has no CNI mode yet (CNI_COMMAND=VERSION prints no supportedVersions)"
	fi
	export JNET JNET_PODMAN_INNER=1
	exec sh "$(dirname "$0")/../integration/sandbox.sh" sh "$0" "$@"
fi

# ---- inside the sandbox: private net + mount namespace, private /run ----
T=$(mktemp -d /tmp/jnet-podman.XXXXXX) || exit 1
mount -t tmpfs -o mode=700 jnet-podman "$T" || exit 1
# runc needs cgroups (podman refuses it with --cgroups disabled): the containers and their
# conmon go under a cgroup parent of this test's own, removed at the end with what is in it.
CG=/jnet-podman.$$
cleanup() {
	timeout 60 podman rm -f -a -t 0 >/dev/null 2>&1
	for d in /sys/fs/cgroup/*"$CG" /sys/fs/cgroup/*/"$CG"; do
		[ -d "$d" ] || continue
		for pid in $(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	umount -l "$T"
	rmdir "$T"
}
trap cleanup EXIT
# Nothing of the machine's own CNI or container state is visible or writable from here.
for d in /var/lib/cni /var/lib/containers /etc/cni/net.d; do
	if [ -d "$d" ]; then
		mount -t tmpfs -o mode=755 jnet-podman "$d" || exit 1
	fi
done
mkdir -p "$T/plugins" "$T/net.d" "$T/graph" "$T/run" "$T/tmp" "$T/home" "$T/ipam" "$T/img/bin" \
    "$T/cache"
for p in /usr/lib/cni/*; do ln -s "$p" "$T/plugins/"; done
ln -sf "$JNET" "$T/plugins/jnet"

cat > "$T/containers.conf" <<CONF
[containers]
netns = "private"

[network]
network_backend = "cni"
cni_plugin_dirs = ["$T/plugins"]
network_config_dir = "$T/net.d"
default_network = "$NET"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$T/tmp/events.log"
tmp_dir = "$T/tmp"
static_dir = "$T/graph/libpod"
volume_path = "$T/graph/volumes"
runtime = "runc"
CONF
cat > "$T/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$T/graph"
runroot = "$T/run"
CONF
cat > "$T/net.d/$NET.conflist" <<CONF
{
  "cniVersion": "1.0.0",
  "name": "$NET",
  "plugins": [
    {
      "type": "$TYPE",
      "bridge": "$BR",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$T/ipam",
        "ranges": [[{ "subnet": "$SUBNET.0/24", "gateway": "$SUBNET.1" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    }
  ]
}
CONF
export CONTAINERS_CONF="$T/containers.conf" CONTAINERS_STORAGE_CONF="$T/storage.conf" \
    CONTAINERS_REGISTRIES_CONF="$T/registries.conf" HOME="$T/home" TMPDIR="$T/tmp" \
    XDG_RUNTIME_DIR="$T/run" XDG_CONFIG_HOME="$T/home" XDG_DATA_HOME="$T/home"
: > "$T/registries.conf"

P() { timeout 120 podman --cgroup-manager cgroupfs --runtime runc "$@"; }
RUN="--cgroup-parent $CG --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --pull never"
IMG=localhost/jnet-busybox

# The image: busybox-static alone, built offline.
cp /bin/busybox "$T/img/bin/busybox" && ln -s busybox "$T/img/bin/sh" || exit 1
tar -C "$T/img" -cf "$T/img.tar" bin || exit 1
P info >"$T/out" 2>&1 || skip "podman cannot start here: $(tail -n 2 "$T/out" | tr '\n' ' ')"
P import -q "$T/img.tar" $IMG >"$T/out" 2>&1 ||
    skip "podman cannot import an image here: $(tail -n 2 "$T/out" | tr '\n' ' ')"
P run --rm $RUN --network none $IMG /bin/busybox true >"$T/out" 2>&1 ||
    skip "podman cannot run a container here (without network): $(tail -n 3 "$T/out" | tr '\n' ' ')"
echo "podman $(podman version -f '{{.Client.Version}}' 2>/dev/null), runc, plugin type $TYPE"

# leftovers WHAT: fail if the plugin left anything: a veth, an interface with a jnet tag
# (IFLA_IFALIAS "jnet/...") other than the network's bridge, a network namespace, an address
# held in host-local. The network's bridge may stay (the reference plugin leaves its too).
leftovers() {
	v=$(ip -o link show type veth | wc -l)
	[ "$v" -eq 0 ] || fail "$1: $v veth left: $(ip -o link show type veth | cut -d' ' -f2 | tr '\n' ' ')"
	tagged=$(ip -d -j link show | python3 -c '
import json, sys
for l in json.load(sys.stdin):
    a = l.get("ifalias", "")
    if a.startswith("jnet/") and not (a.split()[1:2] == ["bridge"] and l["ifname"] == sys.argv[1]):
        print(l["ifname"], a)' "$BR")
	[ -z "$tagged" ] || fail "$1: interfaces tagged by jnet left: $tagged"
	[ -z "$(ip netns list)" ] || fail "$1: network namespaces left: $(ip netns list | tr '\n' ' ')"
	held=$(ls "$T/ipam/$NET" 2>/dev/null | grep -Ev '^(last_reserved_ip\..*|lock)$')
	[ -z "$held" ] || fail "$1: host-local still holds $held"
}
ipof() {
	P inspect -f "{{(index .NetworkSettings.Networks \"$NET\").IPAddress}}" "$1"
}

# ---- two containers ping each other and the gateway ----
for c in c1 c2; do
	P run -d --name $c $RUN --network $NET $IMG /bin/busybox sleep 600 >"$T/out" 2>&1 ||
	    fail "podman run $c: $(cat "$T/out")"
done
ip1=$(ipof c1) ip2=$(ipof c2)
echo "c1 $ip1, c2 $ip2 on $NET ($TYPE)"
for ip in "$ip1" "$ip2"; do
	case $ip in "$SUBNET".*) ;; *) fail "a container got address '$ip', not one of $SUBNET.0/24" ;; esac
done
[ "$ip1" != "$ip2" ] || fail "both containers got $ip1"
ip -o -4 addr show dev "$BR" | grep -q "inet $SUBNET.1/" || fail "the gateway $SUBNET.1 is not on $BR"
for pair in "c1 $ip2" "c2 $ip1" "c1 $SUBNET.1" "c2 $SUBNET.1"; do
	set -- $pair
	P exec "$1" /bin/busybox ping -c 2 -w 5 "$2" >"$T/out" 2>&1 ||
	    fail "$1 cannot ping $2: $(cat "$T/out")"
	echo "ok: $1 pings $2"
done
P exec c1 /bin/busybox ip -o link show eth0 >"$T/out" 2>&1
grep -q '[<,]UP[,>]' "$T/out" || fail "c1's eth0 is not up: $(cat "$T/out")"
[ "$(ip -o link show type veth | wc -l)" -eq 2 ] || fail "expected 2 host ends (veth), found: $(ip -o link show type veth)"
P stop -t 0 c1 c2 >"$T/out" 2>&1 || fail "podman stop: $(cat "$T/out")"
P rm c1 c2 >"$T/out" 2>&1 || fail "podman rm: $(cat "$T/out")"
leftovers "after podman stop and rm"
echo "ok: podman stop and rm leave nothing of the plugin's"

# ---- 50 podman run --rm in a row ----
before=$(ip -o link | wc -l)
i=1
while [ $i -le 50 ]; do
	P run --rm $RUN --network $NET $IMG /bin/busybox ip -o -4 addr show eth0 >"$T/out" 2>&1 ||
	    fail "podman run --rm #$i: $(cat "$T/out")"
	grep -q "inet $SUBNET\." "$T/out" || fail "run #$i: eth0 had no address in $SUBNET.0/24: $(cat "$T/out")"
	i=$((i + 1))
done
after=$(ip -o link | wc -l)
[ "$before" -eq "$after" ] || fail "50 podman run --rm: $before interfaces before, $after after: $(ip -o link)"
leftovers "after 50 podman run --rm"
echo "ok: 50 podman run --rm leave nothing ($after interfaces before and after)"
echo "PASS: podman with the CNI plugin '$TYPE'"
