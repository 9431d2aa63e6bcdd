# kill -9 at every netlink request of ADD (strace's fault injection kills jnet as it enters
# its N-th sendto/sendmsg, for N = 1, 2, ... until an ADD completes), then:
#   A: DEL (what a runtime does after a failed ADD) leaves nothing of the attachment;
#   G: with the container's namespace deleted, GC (valid-attachments empty) leaves nothing.
# "Nothing": no link tagged for the attachment, no veth of jnet's group (27246) on the host,
# no eth0 in the namespace. The bridge stays (DEL never removes it, as the reference's).
import os
import shutil
import time
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnitool import conf, done, links, ok, run, sh  # noqa: E402

if shutil.which("strace") is None:
    print("SKIP: strace is not installed (Debian: strace)")
    sys.exit(77)
c = conf("1.1.0")
STEP = int(os.environ.get("JNET_KILL_STEP", "1"))


def killed_add(n, cid):
    e = {"ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0"}
    return run("ADD", c, cid=cid, netns="/run/netns/k", env=e,
               prefix=["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=sendto,sendmsg",
                       "-e", "inject=sendto,sendmsg:signal=KILL:when=%d" % n])


def leftovers(ns):
    L = links()
    host = [n for n, l in L.items() if " cni=" in l.get("ifalias", "") or
            (l.get("group") == "27246" and l.get("linkinfo", {}).get("info_kind") == "veth")]
    inside = [n for n in (links("k") if ns else {}) if n != "lo"]
    return host + inside


n = 1
while n < 200:
    for variant in ("A", "G"):
        sh("ip", "netns", "add", "k")
        r = killed_add(n, "kill%s" % variant)
        if r.rc == 0:
            break
        ok("ADD killed at request %d: killed (signal)" % n, r.rc < 0 or r.rc == 137, r)
        if variant == "A":
            d = run("DEL", c, cid="killA", netns="/run/netns/k")
            ok("A %d: DEL succeeds" % n, d.rc == 0, d)
            ok("A %d: nothing left" % n, leftovers(True) == [], leftovers(True))
        else:
            sh("ip", "netns", "del", "k")
            g = run("GC", dict(c, **{"cni.dev/valid-attachments": []}),
                    drop=["CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS"])
            ok("G %d: GC succeeds" % n, g.rc == 0, g)
            # A pair killed before its tags goes with its namespace, which the kernel tears
            # down asynchronously after `ip netns del`: give it up to 5 s.
            for _ in range(50):
                if leftovers(False) == []:
                    break
                time.sleep(0.1)
            ok("G %d: nothing left" % n, leftovers(False) == [], leftovers(False))
        sh("ip", "netns", "del", "k")
    else:
        n += STEP
        continue
    break
ok("ADD completed once it was not killed (after %d kill points)" % (n - 1), r.rc == 0 and n > 3, r)
run("DEL", c, cid="killA", netns="/run/netns/k")
run("DEL", c, cid="killG", netns="/run/netns/k")
done()
