# jnet with IPAM (Debian's host-local and static): the addresses and routes inside the
# container, isGateway (the gateway address on the bridge), isDefaultGateway (a default
# route), ipMasq, the result's ips/routes per version, CHECK of the addresses, DEL giving the
# addresses back. host-local keeps its state under /run (the sandbox's private tmpfs).
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnitool import VERSIONS, addrs, conf, done, links, ok, run, sh, with_prev  # noqa: E402

sh("ip", "netns", "add", "i1")
NS = "/run/netns/i1"
HL = {"type": "host-local", "dataDir": "/run/cni-hl", "ranges": [[{"subnet": "10.88.0.0/24"}]],
      "routes": [{"dst": "10.99.0.0/16"}]}
c = conf("1.0.0", bridge="ipbr0", isDefaultGateway=True, ipam=HL)
r = run("ADD", c, cid="ip1", netns=NS)
if r.rc != 0 and "not in this build" in r.out:
    print("SKIP: this build has no IPAM (src/cni_ipam_stub.c stands in for cniipam's modules)")
    sys.exit(77)
res = r.json or {}
ok("host-local ADD: success", r.rc == 0, r)
ips = res.get("ips", [])
ok("result: one address on eth0 (interface 2), with its gateway", len(ips) == 1 and
   ips[0].get("interface") == 2 and ips[0].get("address", "").startswith("10.88.0.") and
   ips[0].get("gateway") == "10.88.0.1" and "version" not in ips[0], ips)
ok("eth0 holds the address", ips and ips[0]["address"] in addrs("i1", "eth0"), addrs("i1", "eth0"))
ok("isGateway: ipbr0 holds 10.88.0.1/24", "10.88.0.1/24" in sh("ip", "-o", "addr", "show", "dev", "ipbr0"))
routes = sh("ip", "-n", "i1", "route")
ok("isDefaultGateway: default via 10.88.0.1 inside", "default via 10.88.0.1" in routes, routes)
ok("IPAM's route 10.99.0.0/16 inside", "10.99.0.0/16 via 10.88.0.1" in routes, routes)
ok("result routes: the default and IPAM's", {x.get("dst") for x in res.get("routes", [])} >=
   {"0.0.0.0/0", "10.99.0.0/16"}, res.get("routes"))
ping = sh("ip", "netns", "exec", "i1", "ping", "-c", "1", "-w", "2", "10.88.0.1")
ok("the container reaches its gateway", " 0% packet loss" in ping, ping)
ok("CHECK: success", run("CHECK", with_prev(c, res), cid="ip1", netns=NS).rc == 0)
sh("ip", "-n", "i1", "addr", "flush", "dev", "eth0")
r = run("CHECK", with_prev(c, res), cid="ip1", netns=NS)
ok("CHECK after the address was removed: fails naming it", r.rc != 0 and
   ips[0]["address"] in (r.json or {}).get("msg", ""), r)
r = run("DEL", with_prev(c, res), cid="ip1", netns=NS)
ok("DEL: success", r.rc == 0, r)
ok("DEL: the address is free again (host-local has no reservation left)",
   not [f for f in os.listdir("/run/cni-hl/jnettest") if f.startswith("10.")]
   if os.path.isdir("/run/cni-hl/jnettest") else True)

# every version's ips shape
for i, v in enumerate(VERSIONS):
    cv = conf(v, bridge="ipbr0", ipam=HL)
    r = run("ADD", cv, cid="v%d" % i, netns=NS, ifname="eth%d" % i)
    ip = ((r.json or {}).get("ips") or [{}])[0]
    if v == "1.1.0" and r.rc != 0 and "incompatible" in (r.json or {}).get("msg", ""):
        # Debian's host-local stops at 1.0.0: the IPAM plugin's refusal is passed on.
        ok("1.1.0: host-local's refusal of 1.1.0 passed on, nothing left", "eth4" not in links("i1"), r)
        continue
    ok("%s: ips %s a version field" % (v, "with" if v < "1.0.0" else "without"),
       r.rc == 0 and (("version" in ip) == (v < "1.0.0")), r)
    run("DEL", cv, cid="v%d" % i, netns=NS, ifname="eth%d" % i)

# static IPAM, IPv6 too
st = {"type": "static", "addresses": [{"address": "10.77.0.5/24", "gateway": "10.77.0.1"},
                                      {"address": "fd00:77::5/64", "gateway": "fd00:77::1"}]}
cs = conf("1.0.0", bridge="stbr0", isGateway=True, ipam=st)
r = run("ADD", cs, cid="st", netns=NS)
a = addrs("i1", "eth0")
ok("static: both addresses on eth0", r.rc == 0 and "10.77.0.5/24" in a and "fd00:77::5/64" in a, (r, a))
ok("static isGateway: both gateways on stbr0", "10.77.0.1/24" in sh("ip", "-o", "addr", "show", "dev", "stbr0")
   and "fd00:77::1/64" in sh("ip", "-o", "addr", "show", "dev", "stbr0"))
run("DEL", cs, cid="st", netns=NS)

# forceAddress: the gateway address goes next to the bridge's own, which stays
sh("ip", "link", "add", "fabr", "type", "bridge")
sh("ip", "addr", "add", "10.55.0.200/24", "dev", "fabr")
cf = conf("1.0.0", bridge="fabr", isGateway=True, forceAddress=True,
          ipam=dict(HL, ranges=[[{"subnet": "10.55.0.0/24"}]], routes=[]))
r = run("ADD", cf, cid="fa", netns=NS)
a = sh("ip", "-o", "addr", "show", "dev", "fabr")
ok("forceAddress: the gateway added, the bridge's own address kept", r.rc == 0 and
   "10.55.0.1/24" in a and "10.55.0.200/24" in a, (r, a))
run("DEL", cf, cid="fa", netns=NS)

# ipMasq: the container's address masqueraded (cniipam's nftables table) and given back
cm = conf("1.0.0", bridge="mqbr0", ipMasq=True, ipam=dict(HL, ranges=[[{"subnet": "10.66.0.0/24"}]]))
r = run("ADD", cm, cid="mq", netns=NS)
ok("ipMasq ADD: success", r.rc == 0, r)
ok("ipMasq: a masquerade rule for the address", "10.66.0." in sh("nft", "list", "ruleset"))
r = run("DEL", with_prev(cm, r.json), cid="mq", netns=NS)
ok("ipMasq DEL: success, the rule gone", r.rc == 0 and "10.66.0." not in sh("nft", "list", "ruleset"), r)
ok("nothing of the attachments left", not [n for n, l in links().items() if " cni=" in l.get("ifalias", "")])
# ---- GC and STATUS (1.1.0) with Debian's host-local, which lists versions up to 1.0.0 only:
# the spec lets a plugin not support them, so jnet skips them for it (asks its VERSION)
sh("ip", "netns", "add", "gc1")
c11 = conf("1.1.0", bridge="gcbr0", ipam=dict(HL, dataDir="/run/cni-hl-gc"))
r = run("ADD", dict(c11, cniVersion="1.0.0"), cid="gcip", netns="/run/netns/gc1")
ok("1.0.0 ADD with host-local: success", r.rc == 0, r)
gc = dict(c11, **{"cni.dev/valid-attachments": []})
r = run("GC", gc, drop=["CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS"])
ok("GC with host-local (no GC of its own): success, the attachment removed",
   r.rc == 0 and r.out == "" and "eth0" not in links("gc1"), r)
r = run("STATUS", c11, drop=["CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS"])
ok("STATUS with host-local (no STATUS of its own): success", r.rc == 0 and r.out == "", r)
# ---- chained after another plugin, with IPAM: prevResult's dns kept and IPAM's appended; a
# 0.4.0-style prevResult's ips[].version dropped in a 1.0.0 result
sh("ip", "netns", "add", "ch1")
with open("/run/cni-resolv.conf", "w") as f:
    f.write("nameserver 192.0.2.54\nsearch b.example\n")
cc = conf("1.0.0", bridge="chbr0", ipam=dict(HL, dataDir="/run/cni-hl-ch", resolvConf="/run/cni-resolv.conf"))
prev = {"cniVersion": "1.0.0", "interfaces": [{"name": "lo0", "sandbox": "/run/netns/ch1"}],
        "ips": [{"version": "4", "address": "192.0.2.9/24", "interface": 0}],
        "dns": {"nameservers": ["192.0.2.53"], "search": ["a.example"]}}
r = run("ADD", with_prev(cc, prev), cid="ch", netns="/run/netns/ch1")
d = (r.json or {}).get("dns", {})
ok("chained ADD with IPAM: prevResult's dns kept, IPAM's appended", r.rc == 0 and
   d.get("nameservers") == ["192.0.2.53", "192.0.2.54"] and d.get("search") == ["a.example", "b.example"], r)
ips = (r.json or {}).get("ips", [])
ok("chained ADD: prevResult's address first, without 0.4.0's version in a 1.0.0 result",
   len(ips) == 2 and ips[0].get("address") == "192.0.2.9/24" and not [x for x in ips if "version" in x], ips)
run("DEL", with_prev(cc, r.json), cid="ch", netns="/run/netns/ch1")
done()
