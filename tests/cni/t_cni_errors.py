# Malformed environments and configurations: each answered on stdout by the error object
# with the spec's code ({cniVersion, code, msg}), a non-zero exit status, a message naming
# the variable or key at fault, and nothing created or changed (ip -d -j link of the host
# and of every namespace, and the namespace list, before and after).
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnitool import conf, ok, done, run, settled, snapshot, sh  # noqa: E402

sh("ip", "netns", "add", "c1")
sh("ip", "link", "add", "notbr", "type", "veth", "peer", "name", "notbr-p")  # no bridge
NS = "/run/netns/c1"
BASE = conf()
C = lambda **k: conf(**k)  # noqa: E731
LONG = "n" * 64


def ipam(**k):
    return dict(BASE, ipam=k)


# (description, command, configuration (dict) or raw text, run() keywords, code, text in msg)
CASES = [
    ("unknown CNI_COMMAND", "FOO", BASE, {}, 4, "CNI_COMMAND"),
    ("empty CNI_COMMAND", "", BASE, {}, 4, "CNI_COMMAND"),
    ("no CNI_CONTAINERID", "ADD", BASE, {"drop": ["CNI_CONTAINERID"]}, 4, "CNI_CONTAINERID"),
    ("CNI_CONTAINERID with '/'", "ADD", BASE, {"cid": "a/b"}, 4, "CNI_CONTAINERID"),
    ("CNI_CONTAINERID starting with '-'", "ADD", BASE, {"cid": "-ab"}, 4, "CNI_CONTAINERID"),
    ("CNI_CONTAINERID of 129 characters", "ADD", BASE, {"cid": "a" * 129}, 4, "CNI_CONTAINERID"),
    ("CNI_CONTAINERID with a space", "DEL", BASE, {"cid": "a b"}, 4, "CNI_CONTAINERID"),
    ("no CNI_IFNAME", "ADD", BASE, {"drop": ["CNI_IFNAME"]}, 4, "CNI_IFNAME"),
    ("CNI_IFNAME of 16 characters", "ADD", BASE, {"ifname": "e" * 16}, 4, "CNI_IFNAME"),
    ("CNI_IFNAME with ':'", "ADD", BASE, {"ifname": "eth:0"}, 4, "CNI_IFNAME"),
    ("CNI_IFNAME '.'", "CHECK", BASE, {"ifname": "."}, 4, "CNI_IFNAME"),
    ("no CNI_NETNS for ADD", "ADD", BASE, {"drop": ["CNI_NETNS"]}, 4, "CNI_NETNS"),
    ("CNI_ARGS not KEY=VALUE", "ADD", BASE, {"args": "garbage"}, 4, "CNI_ARGS"),
    ("CNI_ARGS MAC= not a MAC", "ADD", BASE, {"args": "IgnoreUnknown=1;MAC=zz"}, 4, "MAC"),
    ("CNI_ARGS MAC= multicast", "ADD", BASE, {"args": "MAC=01:00:5e:00:00:01"}, 4, "MAC"),
    ("ipam.type without CNI_PATH", "ADD", ipam(type="host-local"), {"drop": ["CNI_PATH"]}, 4,
     "CNI_PATH"),
    ("not JSON", "ADD", "{", {}, 6, "JSON"),
    ("a JSON array", "ADD", "[]", {}, 6, "object"),
    ("empty stdin", "ADD", "", {}, 6, "JSON"),
    ("duplicate key", "ADD", '{"cniVersion":"1.0.0","name":"a","name":"b","type":"jnet"}', {}, 6,
     "JSON"),
    ("cniVersion 0.2.0", "ADD", C(version="0.2.0"), {}, 1, "0.2.0"),
    ("cniVersion 2.0.0", "ADD", C(version="2.0.0"), {}, 1, "2.0.0"),
    ("CHECK under 0.3.1", "CHECK", dict(C(version="0.3.1"), prevResult={}), {}, 1, "CHECK"),
    ("GC under 1.0.0", "GC", dict(BASE, **{"cni.dev/valid-attachments": []}), {}, 1, "GC"),
    ("STATUS under 0.4.0", "STATUS", C(version="0.4.0"), {}, 1, "STATUS"),
    ("cniVersion missing", "ADD", {"name": "n", "type": "jnet"}, {}, 7, "cniVersion"),
    ("cniVersion a number", "ADD", dict(BASE, cniVersion=1), {}, 7, "cniVersion"),
    ("name missing", "ADD", {"cniVersion": "1.0.0", "type": "jnet"}, {}, 7, "name"),
    ("name with a space", "ADD", dict(BASE, name="my net"), {}, 7, "name"),
    ("name of 64 characters", "ADD", dict(BASE, name=LONG), {}, 7, "name"),
    ("type missing", "ADD", {"cniVersion": "1.0.0", "name": "n"}, {}, 7, "type"),
    ("bridge of 16 characters", "ADD", dict(BASE, bridge="b" * 16), {}, 7, "bridge"),
    ("bridge a number", "ADD", dict(BASE, bridge=5), {}, 7, "bridge"),
    ("bridge with '/'", "ADD", dict(BASE, bridge="a/b"), {}, 7, "bridge"),
    ("bridge exists and is no bridge", "ADD", dict(BASE, bridge="notbr"), {}, 7, "bridge"),
    ("isGateway a string", "ADD", dict(BASE, isGateway="yes"), {}, 7, "isGateway"),
    ("isDefaultGateway a number", "ADD", dict(BASE, isDefaultGateway=1), {}, 7, "isDefaultGateway"),
    ("ipMasq a string", "ADD", dict(BASE, ipMasq="true"), {}, 7, "ipMasq"),
    ("forceAddress an array", "ADD", dict(BASE, forceAddress=[]), {}, 7, "forceAddress"),
    ("hairpinMode a string", "ADD", dict(BASE, hairpinMode="on"), {}, 7, "hairpinMode"),
    ("mtu a string", "ADD", dict(BASE, mtu="1500"), {}, 7, "mtu"),
    ("mtu 67", "ADD", dict(BASE, mtu=67), {}, 7, "mtu"),
    ("mtu 70000", "ADD", dict(BASE, mtu=70000), {}, 7, "mtu"),
    ("mtu -1", "ADD", dict(BASE, mtu=-1), {}, 7, "mtu"),
    ("vlan 4095", "ADD", dict(BASE, vlan=4095), {}, 7, "vlan"),
    ("vlan a string", "ADD", dict(BASE, vlan="1"), {}, 7, "vlan"),
    ("backend unknown", "ADD", dict(BASE, backend="bogus"), {}, 7, "backend"),
    ("backend epair on Linux", "ADD", dict(BASE, backend="epair"), {}, 7, "backend"),
    ("macMode unknown", "ADD", dict(BASE, macMode="sometimes"), {}, 7, "macMode"),
    ("macMode jib without uplink", "ADD", dict(BASE, macMode="jib"), {"netns": NS}, 7, "macMode"),
    ("uplink with ':'", "ADD", dict(BASE, uplink="x:y"), {}, 7, "uplink"),
    ("uplink is the bridge", "ADD", dict(BASE, uplink="cni0"), {}, 7, "uplink"),
    ("ipam a string", "ADD", dict(BASE, ipam="host-local"), {}, 7, "ipam"),
    ("ipam.type a number", "ADD", ipam(type=5), {}, 7, "ipam.type"),
    ("ipam.type a path", "ADD", ipam(type="../bin/sh"), {}, 7, "ipam.type"),
    ("runtimeConfig.mac not a MAC", "ADD", dict(BASE, runtimeConfig={"mac": "nonsense"}), {}, 7,
     "runtimeConfig.mac"),
    ("runtimeConfig a string", "ADD", dict(BASE, runtimeConfig="x"), {}, 7, "runtimeConfig"),
    ("isGateway without ipam", "ADD", dict(BASE, isGateway=True), {}, 7, "isGateway"),
    ("ipMasq without ipam", "ADD", dict(BASE, ipMasq=True), {}, 7, "ipMasq"),
    ("prevResult a string", "DEL", dict(BASE, prevResult="x"), {}, 7, "prevResult"),
    ("CHECK without prevResult", "CHECK", BASE, {}, 7, "prevResult"),
    ("GC without valid-attachments", "GC", C(version="1.1.0"), {}, 7, "valid-attachments"),
    ("GC valid-attachments [1]", "GC", dict(C(version="1.1.0"), **{"cni.dev/valid-attachments": [1]}),
     {}, 7, "valid-attachments"),
    ("vlan 10 (not supported yet)", "ADD", dict(BASE, vlan=10), {}, 2, "vlan"),
    ("CNI_NETNS is jnet's own namespace", "ADD", BASE, {"netns": "/proc/self/ns/net"}, 4,
     "CNI_NETNS"),
    ("CNI_NETNS is a file, no namespace", "ADD", BASE, {"netns": "/etc/hostname"}, 4, "CNI_NETNS"),
    ("CNI_NETNS does not exist", "ADD", BASE, {"netns": "/run/netns/nosuch"}, 3, "CNI_NETNS"),
    ("CNI_NETNS is a mount namespace", "ADD", BASE, {"netns": "/proc/self/ns/mnt"}, 4,
     "not a network namespace"),
    ("JNET_BACKEND=epair on Linux", "ADD", BASE, {"env": {"JNET_BACKEND": "epair"}}, 4,
     "JNET_BACKEND"),
    ("unsupported cniVersion: each supported one listed once", "ADD", C(version="9.9.9"), {}, 1,
     "1.0.0, 1.1.0)"),
    ("mtu 67", "ADD", dict(BASE, mtu=67), {}, 7, "below 68"),
    ("CHECK: CNI_NETNS does not exist", "CHECK", dict(BASE, prevResult={}),
     {"netns": "/run/netns/nosuch"}, 3, "CNI_NETNS"),
]

ok("at least 40 cases", len(CASES) >= 40, len(CASES))
settled()
for desc, cmd, c, kw, code, word in CASES:
    kw = dict(kw)
    kw.setdefault("netns", NS)
    before = snapshot()  # no case changes anything: the state stays settled
    if isinstance(c, str):
        r = run(cmd, None, raw=c, **kw)
    else:
        r = run(cmd, c, **kw)
    after = snapshot()
    j = r.json if isinstance(r.json, dict) else {}
    ok("%s: code %d" % (desc, code), r.rc != 0 and j.get("code") == code, r)
    ok("%s: error object has cniVersion and msg naming %s" % (desc, word),
       isinstance(j.get("cniVersion"), str) and word in j.get("msg", ""), j)
    ok("%s: nothing created or changed" % desc, before == after,
       [k for k in after if before.get(k) != after.get(k)])

# stdin over 4 MiB: error 5
before = settled()
r = run("ADD", None, raw='{"cniVersion": "1.0.0", "x": "' + "a" * (5 << 20) + '"}', netns=NS)
ok("stdin over 4 MiB: code 5, nothing created", r.rc != 0 and r.code() == 5 and before == snapshot(),
   r)

# An IPAM plugin that fails (here: one that is not there): the link ADD made is rolled back.
before = settled()
r = run("ADD", dict(BASE, ipam={"type": "jnet-no-such-ipam"}), netns=NS)
ok("failing IPAM: an error", r.rc != 0 and r.code() in (7, 101), r)
ok("failing IPAM: the link and the bridge ADD made are gone again", before == snapshot())

# An unknown JNET_BACKEND: error 4, and stderr has one line naming it (not the CLI's usage).
r = run("ADD", BASE, netns=NS, env={"JNET_BACKEND": "bogus"})
ok("JNET_BACKEND=bogus: code 4", r.rc != 0 and r.code() == 4, r)
ok("JNET_BACKEND=bogus: stderr is one line naming it",
   r.err.count("\n") == 1 and "JNET_BACKEND: unknown backend 'bogus'" in r.err, r.err)
done()
