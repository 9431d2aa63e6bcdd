# Chaining: a conflist of jnet followed by Debian's tuning, portmap and firewall, run as a
# runtime runs it (each result passed on as the next plugin's prevResult; CHECK with the
# cached result; DEL in reverse order), in 0.4.0 and 1.0.0 (Debian's plugins stop at 1.0.0).
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnitool import conflist_run, done, links, ok, plugin_path, sh  # noqa: E402

for p in ("tuning", "portmap", "firewall"):
    if plugin_path(p) is None:
        print("SKIP: Debian's CNI plugin %s is not installed (containernetworking-plugins)" % p)
        sys.exit(77)

for v in ("0.4.0", "1.0.0"):
    ns = "ch" + v.replace(".", "")
    sh("ip", "netns", "add", ns)
    kw = dict(cid="chain" + ns, netns="/run/netns/" + ns)
    cl = {"cniVersion": v, "name": "chainnet", "plugins": [
        {"type": "jnet", "bridge": "cbr0"},
        {"type": "tuning", "mtu": 1400, "sysctl": {"net.ipv4.conf.eth0.rp_filter": "2"}},
        {"type": "portmap", "capabilities": {"portMappings": True}},
        {"type": "firewall"}]}
    rep, res = conflist_run("ADD", cl, **kw)
    ok("%s chain ADD: every plugin succeeds" % v, rep.rc == 0 and res is not None, rep)
    res = res or {}
    sb = [i for i in res.get("interfaces", []) if i.get("sandbox")]
    ok("%s chain ADD: the final result still has jnet's eth0 with its sandbox" % v,
       len(sb) == 1 and sb[0]["name"] == "eth0", res)
    ok("%s chain ADD: tuning set eth0's MTU after jnet made it" % v,
       links(ns).get("eth0", {}).get("mtu") == 1400, links(ns).get("eth0"))
    rp = sh("ip", "netns", "exec", ns, "cat", "/proc/sys/net/ipv4/conf/eth0/rp_filter").strip()
    ok("%s chain ADD: tuning's sysctl inside the namespace" % v, rp == "2", rp)
    rep, _ = conflist_run("CHECK", cl, prev=res, **kw)
    ok("%s chain CHECK: every plugin succeeds" % v, rep.rc == 0, rep)
    rep, _ = conflist_run("DEL", cl, prev=res, **kw)
    ok("%s chain DEL: every plugin succeeds" % v, rep.rc == 0, rep)
    ok("%s chain DEL: nothing of the attachment left" % v, "eth0" not in links(ns) and
       not [n for n, l in links().items() if " cni=" in l.get("ifalias", "")])
    rep, _ = conflist_run("DEL", cl, prev=res, **kw)
    ok("%s chain DEL twice: success" % v, rep.rc == 0, rep)
done()
