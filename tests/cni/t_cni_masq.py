# ipMasq through the plugin, from what the kernel holds (docs/cni.md, ipMasq):
#   DEL without prevResult removes the attachment's masquerading (a runtime that has no
#   result: an ADD killed right after its nftables transaction, before printing its result);
#   kill -9 at every write(2) of an ADD, then DEL without prevResult: no table left;
#   GC removes exactly the masquerading of attachments that valid-attachments does not list,
#   also when the same container keeps another attachment on the network;
#   a table inet jnet-cni jnet did not make: ADD refuses it (100), DEL and GC leave it;
#   CNI_IFNAME y@z, or names longer than the comment holds: error 4 before anything is made.
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnitool import conf, done, links, ok, run, sh  # noqa: E402

for tool in ("nft", "strace"):
    if shutil.which(tool) is None:
        print("SKIP: %s is not installed (Debian: %s)" % (tool, "nftables" if tool == "nft" else tool))
        sys.exit(77)
if sh("nft", "add", "table", "inet", "jnet-probe") != "" or \
        sh("nft", "delete", "table", "inet", "jnet-probe") != "":
    print("SKIP: nftables unusable in this kernel")
    sys.exit(77)

HL = {"type": "host-local", "dataDir": "/run/cni-hl-mq", "ranges": [[{"subnet": "10.67.0.0/24"}]]}
cm = conf("1.0.0", bridge="mqbr1", ipMasq=True, ipam=HL)
NS = "/run/netns/m1"
sh("ip", "netns", "add", "m1")


def elems():
    """{address: comment} of our table's maps saddr4/saddr6 (not the records, map rec)."""
    out = {}
    for o in json.loads(sh("nft", "-j", "list", "ruleset") or '{"nftables": []}')["nftables"]:
        m = o.get("map")
        if m and m.get("family") == "inet" and m.get("table") == "jnet-cni" and m.get("name") != "rec":
            for e in m.get("elem", []):
                out[e[0]["elem"]["val"]] = e[0]["elem"].get("comment")
    return out


def table():
    return "table inet jnet-cni" in sh("nft", "list", "tables")


def addr(res):
    return res["ips"][0]["address"].split("/")[0]


# ---- DEL without prevResult
r = run("ADD", cm, cid="m1", netns=NS)
ok("ipMasq ADD: success", r.rc == 0, r)
a = addr(r.json) if r.rc == 0 else None
ok("its element, commented with the whole attachment", elems() == {a: "jnet-cni jnettest m1 eth0"},
   elems())
r = run("DEL", cm, cid="m1", netns=NS)
ok("DEL without prevResult: success", r.rc == 0, r)
ok("DEL without prevResult: the element and the table are gone", not table(), sh("nft", "list", "ruleset"))
r = run("DEL", cm, cid="m1", netns=NS)
ok("DEL again: success", r.rc == 0, r)

# ---- kill -9 at each write(2) of ADD (its IPAM's stdin, its result...), then DEL without
# prevResult (a runtime has no result of a killed ADD): nothing of ipMasq left
ENV = {"ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0"}
n, after = 1, False
while n < 30:
    r = run("ADD", cm, cid="mk", netns=NS, env=ENV,
            prefix=["strace", "-qq", "-o", "/dev/null", "-e", "trace=write",
                    "-e", "inject=write:signal=KILL:when=%d" % n])
    if r.rc == 0:
        break
    ok("ADD killed at write %d" % n, r.rc < 0 or r.rc == 137, r)
    after = after or table()
    d = run("DEL", cm, cid="mk", netns=NS)
    ok("killed at write %d: DEL without prevResult succeeds" % n, d.rc == 0, d)
    ok("killed at write %d: no table left" % n, not table(), sh("nft", "list", "ruleset"))
    n += 1
ok("ADD completed once not killed (after %d kill points)" % (n - 1), r.rc == 0 and n > 1, r)
ok("a kill came after the nftables transaction", after)
run("DEL", cm, cid="mk", netns=NS)
ok("no table after the last DEL", not table())

# ---- GC (1.1.0; host-local, up to 1.0.0, is not asked): one container, two attachments (eth0, net1); valid-attachments lists eth0 only
r1 = run("ADD", cm, cid="g", netns=NS, ifname="eth0")
r2 = run("ADD", cm, cid="g", netns=NS, ifname="net1")
ok("two attachments of one container: ADDs succeed", r1.rc == 0 and r2.rc == 0, (r1, r2))
a1 = addr(r1.json) if r1.rc == 0 else None
a2 = addr(r2.json) if r2.rc == 0 else None
ok("an element each", elems() == {a1: "jnet-cni jnettest g eth0", a2: "jnet-cni jnettest g net1"},
   elems())
gc = dict(cm, cniVersion="1.1.0", **{"cni.dev/valid-attachments": [{"containerID": "g", "ifname": "eth0"}]})
r = run("GC", gc, drop=["CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS"])
ok("GC: success", r.rc == 0, r)
ok("GC removed net1's element and kept eth0's", elems() == {a1: "jnet-cni jnettest g eth0"}, elems())
r = run("GC", dict(cm, cniVersion="1.1.0", **{"cni.dev/valid-attachments": []}),
        drop=["CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS"])
ok("GC of everything: success, no table left", r.rc == 0 and not table(), (r, elems()))

# ---- a table inet jnet-cni that jnet did not make (the administrator's): ADD refuses it with
# error 100 naming it and leaves nothing (no link, no lease); DEL and GC leave the table
sh("nft", "add table inet jnet-cni; add set inet jnet-cni admin { type ipv4_addr; }; "
   "add chain inet jnet-cni mine")
before = sh("nft", "list", "table", "inet", "jnet-cni")
names = lambda: sorted(l.split(": ")[1].split("@")[0] for l in sh("ip", "-o", "link").splitlines())
before_links = names()
r = run("ADD", cm, cid="f", netns=NS)
ok("ADD into the administrator's table: error 100 naming it",
   r.rc != 0 and r.json is not None and r.json.get("code") == 100 and
   "table inet jnet-cni exists and is not jnet's" in r.json.get("msg", ""), r)
ok("the refused ADD left no interface (bridge aside) and no address in its netns",
   [n for n in names() if n != "mqbr1"] == [n for n in before_links if n != "mqbr1"] and
   "10.67." not in sh("ip", "-n", "m1", "-o", "addr"), (before_links, names()))
ok("the refused ADD left no lease", [f for f in os.listdir(HL["dataDir"]) if f.startswith("10.")] == []
   if os.path.isdir(HL["dataDir"]) else True, os.listdir(HL["dataDir"]) if os.path.isdir(HL["dataDir"]) else "")
r = run("DEL", cm, cid="f", netns=NS)
ok("DEL: success", r.rc == 0, r)
r = run("GC", dict(cm, cniVersion="1.1.0", **{"cni.dev/valid-attachments": []}),
        drop=["CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS"])
ok("GC: success", r.rc == 0, r)
ok("DEL and GC left the administrator's table as it was",
   sh("nft", "list", "table", "inet", "jnet-cni") == before, sh("nft", "list", "ruleset"))
sh("nft", "delete", "table", "inet", "jnet-cni")

# ---- names ipMasq's comment cannot hold: refused with error 4 before anything is made (no
# bridge, no lease, no table); an ifname with another character is refused without ipMasq too
cv = conf("1.0.0", bridge="mqbr9", ipMasq=True,
          ipam=dict(HL, dataDir="/run/cni-hl-mq9", ranges=[[{"subnet": "10.68.0.0/24"}]]))
net = len(cv["name"])
cases = [("y@z", "c9", "CNI_IFNAME: 'y@z' has a character other than"),
         ("eth0", "c" * 128, "longer than 116 characters together"),
         ("eth0", "c" * (117 - net - 4), "longer than 116 characters together")]
for ifname, cid, msg in cases:
    for masq in (True, False):
        r = run("ADD", dict(cv, ipMasq=masq), cid=cid, netns=NS, ifname=ifname)
        if masq or "@" in ifname:
            ok("ADD %s (%d-character ID, ipMasq %s): error 4" % (ifname, len(cid), masq),
               r.rc != 0 and r.json is not None and r.json.get("code") == 4 and
               msg in r.json.get("msg", ""), r)
            ok("  nothing made: no bridge, no lease, no table",
               "mqbr9" not in links() and not os.path.isdir("/run/cni-hl-mq9/jnettest") and
               not table(), (sorted(links()), sh("nft", "list", "tables")))
        else:
            ok("ADD %s (%d-character ID) without ipMasq: success" % (ifname, len(cid)), r.rc == 0, r)
            run("DEL", dict(cv, ipMasq=masq), cid=cid, netns=NS, ifname=ifname)
            sh("ip", "link", "del", "mqbr9")
            shutil.rmtree("/run/cni-hl-mq9", ignore_errors=True)
r = run("ADD", cv, cid="c" * (116 - net - 4), netns=NS)
ok("ADD with exactly 116 characters together: success", r.rc == 0, r)
run("DEL", cv, cid="c" * (116 - net - 4), netns=NS)
sh("ip", "netns", "del", "m1")
done()
