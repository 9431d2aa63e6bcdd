# The CNI protocol, driven as a runtime drives it: VERSION, ADD, CHECK, DEL for every
# supported version; DEL twice; DEL after the namespace is gone; CHECK after tampering;
# GC and STATUS (1.1.0); the identity tag; refusal to touch what is not the attachment.
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnitool import (JNET, VERSIONS, conf, diff, done, links, settled, netns_list, ok,  # noqa: E402
                     plugin_path, run, sh, snapshot, with_prev)


def mkns(n):
    sh("ip", "netns", "add", n)
    return "/run/netns/" + n


def jnet_links(ns=None):
    """Links whose alias is a CNI attachment tag of jnet."""
    return {n: l for n, l in links(ns).items() if " cni=" in l.get("ifalias", "")}


# ---- VERSION
for v in VERSIONS + [None]:
    r = run("VERSION", None, raw='{"cniVersion":"%s"}' % v if v else "")
    j = r.json or {}
    ok("VERSION %s: supportedVersions lists 0.4.0, 1.0.0, 1.1.0" % v,
       r.rc == 0 and all(x in j.get("supportedVersions", []) for x in ("0.4.0", "1.0.0", "1.1.0")), r)
    ok("VERSION %s: answered in %s" % (v, v or "1.1.0"), j.get("cniVersion") == (v or "1.1.0"), j)

# ---- CNI mode ignores the command line (a runtime passes none; a wrapper might)
p = subprocess.run([JNET, "addm", "x", "y"], input='{"cniVersion":"1.0.0"}', capture_output=True,
                   text=True, env=dict(os.environ, CNI_COMMAND="VERSION"))
ok("CNI_COMMAND set: arguments ignored, VERSION answered", p.returncode == 0 and
   "supportedVersions" in p.stdout, p)

# ---- ADD / CHECK / DEL in every version
for i, v in enumerate(VERSIONS):
    ns = mkns("v%d" % i)
    cid = "ver%d" % i
    c = conf(v)
    r = run("ADD", c, cid=cid, netns=ns)
    res = r.json or {}
    ok("%s ADD: success" % v, r.rc == 0 and res.get("cniVersion") == v, r)
    ifs = res.get("interfaces", [])
    sb = [x for x in ifs if x.get("sandbox")]
    ok("%s ADD: result has the bridge, the host end and eth0 with sandbox" % v,
       len(ifs) == 3 and ifs[0]["name"] == "cni0" and len(sb) == 1 and
       sb[0]["name"] == "eth0" and sb[0]["sandbox"] == ns and "mac" in sb[0], ifs)
    inside = links("v%d" % i)
    ok("%s ADD: eth0 inside the namespace, up, with the result's MAC" % v,
       "eth0" in inside and "UP" in inside["eth0"]["flags"] and
       inside["eth0"]["address"] == sb[0]["mac"] if sb else False, inside.keys())
    host = ifs[1]["name"] if len(ifs) > 1 else "?"
    hl = links().get(host, {})
    ok("%s ADD: host end %s on cni0, tagged with the identity" % (v, host),
       hl.get("master") == "cni0" and
       hl.get("ifalias", "").startswith("jnet/2 link netns 0 a %s@eth0 " % cid) and
       hl.get("ifalias", "").endswith(" cni=jnettest"), hl.get("ifalias"))
    if v >= "0.4.0":
        r = run("CHECK", with_prev(c, res), cid=cid, netns=ns)
        ok("%s CHECK: success" % v, r.rc == 0 and r.out == "", r)
    r = run("DEL", with_prev(c, res), cid=cid, netns=ns)
    ok("%s DEL: success, no output" % v, r.rc == 0 and r.out == "", r)
    ok("%s DEL: host end gone" % v, host not in links())
    r = run("DEL", c, cid=cid, netns=ns)
    ok("%s DEL twice: success" % v, r.rc == 0, r)

# ---- result version fields: addresses carry "version" before 1.0.0 only (needs IPAM: the
# address tests are cniipam's t_ipam_*; here the shape of an address-less result)
r = run("ADD", conf("0.4.0"), cid="shape", netns=mkns("shape"))
ok("0.4.0 result: ips is a list, dns an object", isinstance((r.json or {}).get("ips"), list) and
   isinstance((r.json or {}).get("dns"), dict), r)
run("DEL", conf("0.4.0"), cid="shape", netns="/run/netns/shape")

# ---- DEL after the namespace is gone; DEL without CNI_NETNS
ns = mkns("gone")
c = conf()
r = run("ADD", c, cid="gone", netns=ns)
host = r.json["interfaces"][1]["name"] if r.rc == 0 else "?"
sh("ip", "netns", "del", "gone")
r = run("DEL", c, cid="gone", netns=ns)
ok("DEL after the namespace was deleted: success", r.rc == 0, r)
ok("DEL after the namespace was deleted: nothing left", host not in links())
ns = mkns("nonet")
run("ADD", c, cid="nonet", netns=ns)
r = run("DEL", c, cid="nonet", drop=["CNI_NETNS"])
ok("DEL without CNI_NETNS: success", r.rc == 0, r)
ok("DEL without CNI_NETNS: eth0 gone from the namespace", "eth0" not in links("nonet"))

# ---- CHECK after tampering
ns = mkns("tamper")
r = run("ADD", c, cid="t1", netns=ns)
res = r.json
host = res["interfaces"][1]["name"]
P = with_prev(c, res)


def check_fails(desc, word):
    r = run("CHECK", P, cid="t1", netns=ns)
    ok("CHECK after %s: fails naming it" % desc, r.rc != 0 and word in (r.json or {}).get("msg", ""), r)


ok("CHECK untouched: success", run("CHECK", P, cid="t1", netns=ns).rc == 0)
sh("ip", "-n", "tamper", "link", "set", "eth0", "down")
check_fails("eth0 set down", "down")
sh("ip", "-n", "tamper", "link", "set", "eth0", "up")
sh("ip", "link", "set", host, "down")
check_fails("the host end set down", "down")
sh("ip", "link", "set", host, "up")
sh("ip", "link", "set", host, "nomaster")
check_fails("the host end taken off the bridge", "bridge")
sh("ip", "link", "set", host, "master", "cni0")
sh("ip", "-n", "tamper", "link", "set", "eth0", "down")
sh("ip", "-n", "tamper", "link", "set", "eth0", "name", "eth9")
sh("ip", "-n", "tamper", "link", "set", "eth9", "up")
check_fails("eth0 renamed", "eth9")
sh("ip", "-n", "tamper", "link", "set", "eth9", "down")
sh("ip", "-n", "tamper", "link", "set", "eth9", "name", "eth0")
sh("ip", "-n", "tamper", "link", "set", "eth0", "up")
tag = links("tamper")["eth0"]["ifalias"]
sh("ip", "-n", "tamper", "link", "set", "eth0", "alias", "jnet/2 link netns 0 b other@eth0 cni=jnettest")
check_fails("the container end's tag changed", "not this attachment")
sh("ip", "-n", "tamper", "link", "set", "eth0", "alias", tag)
bad = dict(res)
bad["interfaces"] = [dict(x) for x in res["interfaces"]]
bad["interfaces"][2]["mac"] = "02:00:00:00:00:01"
r = run("CHECK", with_prev(c, bad), cid="t1", netns=ns)
ok("CHECK with another MAC in prevResult: fails naming the MAC", r.rc != 0 and
   "02:00:00:00:00:01" in (r.json or {}).get("msg", ""), r)
ok("CHECK after the repairs: success", run("CHECK", P, cid="t1", netns=ns).rc == 0)
ns2 = mkns("other")
r = run("CHECK", P, cid="t1", netns=ns2)
ok("CHECK against another namespace: fails", r.rc != 0 and "not inside" in (r.json or {}).get("msg", ""), r)
sh("ip", "link", "del", host)
check_fails("the link was deleted", "no link")
run("DEL", c, cid="t1", netns=ns)

# ---- identity: an interface named like the attachment's host end but not tagged so
ns = mkns("ident")
r = run("ADD", c, cid="id1", netns=ns)
host = r.json["interfaces"][1]["name"]
run("DEL", c, cid="id1", netns=ns)
sh("ip", "link", "add", host, "type", "veth", "peer", "name", "foreignp")
before = settled()
r = run("ADD", c, cid="id1", netns=ns)
ok("ADD refuses a foreign interface of the host end's name", r.rc != 0 and host in r.json["msg"], r)
r = run("DEL", c, cid="id1", netns=ns)
ok("DEL leaves a foreign interface of the host end's name (success: not the attachment)",
   r.rc == 0, r)
after = snapshot()
ok("the foreign interface and everything else unchanged", before == after, diff(before, after))
sh("ip", "link", "del", host)
r = run("ADD", c, cid="id1", netns=ns)
r2 = run("DEL", conf(name="othernet"), cid="id1", netns=ns)
ok("DEL of another network leaves the attachment", r2.rc == 0 and host in links(), r2)
run("DEL", c, cid="id1", netns=ns)
ok("long container ID: ADD (128 characters)", run("ADD", c, cid="a" * 128, netns=ns).rc == 0)
ok("long container ID: DEL", run("DEL", c, cid="a" * 128, netns=ns).rc == 0 and not jnet_links())

# ---- a CNI_NETNS without '/' names /run/netns/NAME (as ip netns); mtu 0 is the bridge's
mkns("rel")
r = run("ADD", dict(c, mtu=0), cid="rel", netns="rel")
ok("CNI_NETNS rel: eth0 made in /run/netns/rel, with cni0's MTU (mtu 0: the default)",
   r.rc == 0 and links("rel").get("eth0", {}).get("mtu") == links()["cni0"]["mtu"], r)
ok("CNI_NETNS rel: DEL", run("DEL", c, cid="rel", netns="rel").rc == 0 and "eth0" not in links("rel"))

# ---- CNI_IFNAME already taken inside the namespace (another plugin's): refused, nothing made
ns = mkns("taken")
sh("ip", "-n", "taken", "link", "add", "eth0", "type", "veth", "peer", "name", "p0")
before = settled()
r = run("ADD", c, cid="tk", netns=ns)
after = snapshot()
ok("ADD with eth0 taken inside: an error, nothing created or changed", r.rc != 0 and
   r.code() == 100 and before == after, (r, diff(before, after)))

# ---- ADD twice without DEL (the spec forbids it; the reference bridge plugin refuses it):
# error 102, the working attachment, its address and its lease untouched
ns = mkns("twice")
hl = dict(c, ipam={"type": "host-local", "dataDir": "/run/ipam-twice",
                   "ranges": [[{"subnet": "10.77.0.0/24"}]]})
r1 = run("ADD", hl, cid="tw", netns=ns)
before = settled()
leases = sorted(os.listdir("/run/ipam-twice/jnettest")) if r1.rc == 0 else []
r2 = run("ADD", hl, cid="tw", netns=ns)
after = snapshot()
ok("ADD twice: the second is refused with 102 naming the attachment", r1.rc == 0 and
   r2.rc != 0 and r2.code() == 102 and "tw@eth0" in (r2.json or {}).get("msg", ""), (r1, r2))
ok("ADD twice: nothing changed (the link, eth0's address)", before == after, diff(before, after))
ok("ADD twice: the lease is kept", leases and sorted(os.listdir("/run/ipam-twice/jnettest")) == leases,
   leases)
r3 = run("DEL", hl, cid="tw", netns=ns)
ok("ADD twice: DEL then frees everything", r3.rc == 0 and "eth0" not in links("twice") and
   not [f for f in os.listdir("/run/ipam-twice/jnettest") if f[0].isdigit()], r3)

# ---- ownership by name AND tag AND kind AND peer name (GC and DEL)
ns = mkns("own")
r = run("ADD", c, cid="c8", netns=ns)
host = r.json["interfaces"][1]["name"]
tag = links()[host]["ifalias"]
run("DEL", c, cid="c8", netns=ns)
gcc = dict(conf("1.1.0"), **{"cni.dev/valid-attachments": []})


def gc_leaves(desc):
    before = settled()
    r = run("GC", gcc, drop=["CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS"])
    after = snapshot()
    ok("GC leaves %s" % desc, r.rc == 0 and before == after, (r, diff(before, after)))


def del_leaves(desc, cleanup):
    before = settled()
    r = run("DEL", c, cid="c8", netns=ns)
    after = snapshot()
    ok("DEL leaves %s" % desc, r.rc == 0 and before == after, (r, diff(before, after)))
    sh(*cleanup)


sh("ip", "link", "add", "fx0", "type", "veth", "peer", "name", "fx1")
sh("ip", "link", "set", "fx0", "alias", tag)
gc_leaves("a foreign veth of another name carrying the attachment's tag, and its peer")
sh("ip", "link", "del", "fx0")
sh("ip", "link", "add", host, "type", "bridge")
sh("ip", "link", "set", host, "alias", tag)
gc_leaves("a bridge of jnet's name with a forged link tag")
del_leaves("a bridge of jnet's name with a forged link tag", ("ip", "link", "del", host))
sh("ip", "link", "add", host, "type", "veth", "peer", "name", "foreignp")
sh("ip", "link", "set", host, "alias", tag)
gc_leaves("a tagged pair of jnet's name whose peer is foreign-named")
del_leaves("a tagged pair of jnet's name whose peer is foreign-named", ("ip", "link", "del", host))
# the crash exception: untagged, in jnet's group (27246), named as jnet names it: only a veth
# whose peer is CNI_IFNAME inside CNI_NETNS
sh("ip", "link", "add", host, "group", "27246", "type", "veth", "peer", "name", "myveth")
del_leaves("an untagged veth of jnet's group whose peer is named myveth",
           ("ip", "link", "del", host))
mkns("own2")
sh("ip", "link", "add", host, "group", "27246", "type", "veth", "peer", "name", "eth0",
   "netns", "own2")
del_leaves("an untagged veth of jnet's group whose eth0 is in another namespace",
           ("ip", "link", "del", host))
for kind in ("bridge", "ifb"):
    sh("ip", "link", "add", host, "group", "27246", "type", kind)
    del_leaves("an untagged %s of jnet's group and name" % kind, ("ip", "link", "del", host))
sh("ip", "link", "add", host, "group", "27246", "type", "veth", "peer", "name", "eth0",
   "netns", "own")
r = run("DEL", c, cid="c8", netns=ns)
ok("DEL removes a crash's leftover (untagged, jnet's group, eth0 inside CNI_NETNS)",
   r.rc == 0 and host not in links() and "eth0" not in links("own"), r)

# ---- MACs: stable by default; runtimeConfig.mac and CNI_ARGS MAC= set eth0's
ns = mkns("mac")
r1 = run("ADD", c, cid="m1", netns=ns)
run("DEL", c, cid="m1", netns=ns)
r2 = run("ADD", c, cid="m1", netns=ns)
ok("stable MAC: the same after DEL and ADD", r1.json["interfaces"][2]["mac"] ==
   r2.json["interfaces"][2]["mac"], (r1.json, r2.json))
run("DEL", c, cid="m1", netns=ns)
r = run("ADD", dict(c, runtimeConfig={"mac": "02:11:22:33:44:55"}), cid="m2", netns=ns)
ok("runtimeConfig.mac sets eth0's MAC", links("mac").get("eth0", {}).get("address") ==
   "02:11:22:33:44:55", r)
run("DEL", c, cid="m2", netns=ns)
r = run("ADD", c, cid="m3", netns=ns, args="IgnoreUnknown=1;MAC=02:aa:bb:cc:dd:ee")
ok("CNI_ARGS MAC= sets eth0's MAC", links("mac").get("eth0", {}).get("address") ==
   "02:aa:bb:cc:dd:ee", r)
run("DEL", c, cid="m3", netns=ns)
r = run("ADD", dict(c, macMode="random"), cid="m4", netns=ns)
ok("macMode random: ADD works", r.rc == 0, r)
run("DEL", c, cid="m4", netns=ns)

# ---- mtu, bridge name, uplink
sh("ip", "link", "add", "up0", "type", "veth", "peer", "name", "up0p")
ns = mkns("mtu")
cm = dict(c, bridge="br9", mtu=1400, uplink="up0")
r = run("ADD", cm, cid="mt", netns=ns)
ok("mtu 1400: eth0 has it", links("mtu").get("eth0", {}).get("mtu") == 1400, r)
ok("bridge br9 made, tagged as jnet's, with its uplink",
   links().get("br9", {}).get("ifalias", "").startswith("jnet/2 bridge netns - uplink=up0") and
   links().get("up0", {}).get("master") == "br9", links().get("br9"))
run("DEL", cm, cid="mt", netns=ns)
ok("DEL leaves the bridge (as the reference plugin)", "br9" in links())

# ---- a foreign bridge is joined and left as it is
sh("ip", "link", "add", "fbr", "type", "bridge")
before = links()["fbr"]
ns = mkns("fb")
r = run("ADD", dict(c, bridge="fbr"), cid="fb", netns=ns)
ok("a foreign bridge is joined", r.rc == 0 and links()[r.json["interfaces"][1]["name"]].get("master") == "fbr", r)
run("DEL", dict(c, bridge="fbr"), cid="fb", netns=ns)
after = links()["fbr"]
# The kernel itself recomputes a bridge's MAC (when none was set) and its offload limits from
# its ports as they come and go; everything else is as it was.
for k in [k for k in set(before) | set(after) if k == "address" or k.endswith("_max_size") or
          k.endswith("_max_segs")]:
    before.pop(k, None)
    after.pop(k, None)
ok("the foreign bridge is unchanged after ADD and DEL", after == before,
   {k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)})

# ---- hairpinMode (the host end's bridge-port flag), promiscMode (the bridge's)
ns = mkns("hp")
ch = dict(c, bridge="hpbr", hairpinMode=True, promiscMode=True)
r = run("ADD", ch, cid="hp", netns=ns)
host = r.json["interfaces"][1]["name"] if r.rc == 0 else "?"
sd = links().get(host, {}).get("linkinfo", {}).get("info_slave_data", {})
ok("hairpinMode: the host end's port has hairpin on", r.rc == 0 and sd.get("hairpin") is True, (r, sd))
ok("promiscMode: the bridge is promiscuous", "PROMISC" in links().get("hpbr", {}).get("flags", []),
   links().get("hpbr", {}).get("flags"))
r = run("ADD", dict(c, bridge="hpbr"), cid="nohp", netns=ns, ifname="eth1")
sd = links().get(r.json["interfaces"][1]["name"], {}).get("linkinfo", {}).get("info_slave_data", {})
ok("without hairpinMode: hairpin off", r.rc == 0 and sd.get("hairpin") is False, sd)
run("DEL", ch, cid="hp", netns=ns)
run("DEL", ch, cid="nohp", netns=ns, ifname="eth1")

# ---- GC and STATUS (1.1.0)
c11 = conf("1.1.0")
for k in range(3):
    run("ADD", c11, cid="gc%d" % k, netns=mkns("gc%d" % k))
run("ADD", conf("1.1.0", name="keepnet"), cid="gcx", ifname="eth1", netns="/run/netns/gc0")
gc = dict(c11, **{"cni.dev/valid-attachments": [{"containerID": "gc1", "ifname": "eth0"}]})
r = run("GC", gc, drop=["CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS"])
ok("GC: success, no output", r.rc == 0 and r.out == "", r)
ok("GC: gc0 and gc2 removed, gc1 kept", "eth0" not in links("gc0") and "eth0" in links("gc1") and
   "eth0" not in links("gc2"))
ok("GC: another network's attachment kept", "eth1" in links("gc0"))
r = run("STATUS", c11, drop=["CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS"])
ok("STATUS: 0, no output", r.rc == 0 and r.out == "", r)
# ---- STATUS when IPAM's STATUS fails: 50
r = run("STATUS", dict(c11, ipam={"type": "jnet-no-such-ipam"}),
        drop=["CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS"])
ok("STATUS with a failing IPAM: error 50, its reason once", r.rc != 0 and r.code() == 50 and
   (r.json or {}).get("msg", "").count("not available") == 1 and
   "jnet-no-such-ipam" in r.json["msg"], r)

# ---- the CLI and CNI attachments: jnet gc leaves them, jnet show names them
ns = mkns("cli")
run("ADD", c, cid="cli1", netns=ns)
g = subprocess.run([JNET, "gc", "--min-age", "0"], capture_output=True, text=True)
ok("jnet gc leaves a CNI attachment whose container end is in its namespace",
   g.returncode == 0 and "eth0" in links("cli"), g)
show = subprocess.run([JNET, "show"], capture_output=True, text=True).stdout
ok("jnet show lists it as jail cli1@eth0", "cli1@eth0" in show, show)
run("DEL", c, cid="cli1", netns=ns)

# ---- layer 2 only with "ipam": {"type": ""}; ADD after another plugin keeps its entries
r = run("ADD", dict(c, ipam={"type": ""}), cid="l2", netns=ns)
ok('ipam type "": layer 2 only, no addresses', r.rc == 0 and r.json["ips"] == [] and
   [n for n in links("cli") if n == "eth0"], r)
run("DEL", c, cid="l2", netns=ns)
prev = {"cniVersion": "1.0.0", "interfaces": [{"name": "lo0", "sandbox": ns}],
        "ips": [], "dns": {"nameservers": ["192.0.2.53"]}}
r = run("ADD", with_prev(c, prev), cid="pv", netns=ns)
ifs = (r.json or {}).get("interfaces", [])
ok("ADD after another plugin: its interfaces first, then jnet's three; its dns kept",
   r.rc == 0 and [i["name"] for i in ifs][:2] == ["lo0", "cni0"] and len(ifs) == 4 and
   r.json["dns"] == prev["dns"], r)
run("DEL", c, cid="pv", netns=ns)

# ---- uplink and a foreign bridge: the uplink is not made a port of it
sh("ip", "link", "add", "up1", "type", "veth", "peer", "name", "up1p")
r = run("ADD", dict(c, bridge="fbr", uplink="up1"), cid="fu", netns=ns)
ok("uplink with a foreign bridge: ADD works, the uplink is left alone",
   r.rc == 0 and "master" not in links()["up1"], r)
run("DEL", dict(c, bridge="fbr"), cid="fu", netns=ns)

# ---- jnet bridge del removes jnet's bridge once no attachment uses it
run("ADD", dict(c, bridge="delbr"), cid="bd", netns=ns)
b1 = subprocess.run([JNET, "bridge", "del", "delbr"], capture_output=True, text=True)
ok("jnet bridge del refuses while an attachment uses the bridge", b1.returncode != 0 and
   "delbr" in links())
run("DEL", dict(c, bridge="delbr"), cid="bd", netns=ns)
b2 = subprocess.run([JNET, "bridge", "del", "delbr"], capture_output=True, text=True)
ok("jnet bridge del removes it after the DEL", b2.returncode == 0 and "delbr" not in links(), b2)

# ---- host end names: jnet's deterministic, the reference plugin's random veth<8 hex>
ref = plugin_path("bridge")
if ref:
    rr = run("ADD", dict(c, type="bridge", bridge="refbr"), cid="ref1", netns=ns, plugin=ref)
    name = ((rr.json or {}).get("interfaces") or [{}, {}])[1].get("name", "")
    ok("the reference plugin's host end is veth + 8 hex digits", re.match(r"^veth[0-9a-f]{8}$", name),
       rr)
    run("DEL", dict(c, type="bridge", bridge="refbr"), cid="ref1", netns=ns, plugin=ref)
r1 = run("ADD", c, cid="det", netns=ns)
run("DEL", c, cid="det", netns=ns)
r2 = run("ADD", c, cid="det", netns=ns)
ok("jnet's host end has the same name after DEL and ADD", r1.json["interfaces"][1] ==
   r2.json["interfaces"][1] and r1.json["interfaces"][1]["name"].startswith("e0a-"), (r1, r2))
run("DEL", c, cid="det", netns=ns)
# ---- jnet.8's CNI key list names every plugin key cni_conf.c reads (docs/cni.md has the table)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
src = open(os.path.join(root, "src", "cni_conf.c")).read()
keys = set(re.findall(r'c->root, "([A-Za-z]+)"', src)) - {"cniVersion", "name", "type", "prevResult",
                                                           "runtimeConfig"}
man = open(os.path.join(root, "docs", "jnet.8")).read()
man = man[man.index(".Sh CNI PLUGIN MODE"):man.index(".Sh ENVIRONMENT")]
listed = set(re.findall(r"([A-Za-z.]+)\s*,?", " ".join(l for l in man.splitlines()
                                                      if l.startswith((".Pq Li", ".Li")))))
ok("jnet.8 lists every CNI key", keys and keys <= listed, sorted(keys - listed))
done()
