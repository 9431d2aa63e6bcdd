# An ADD killed while it makes the bridge (strace kills jnet as it enters its N-th
# sendto/sendmsg, N = 1, 2, ... until an ADD completes) can leave the bridge under its name,
# in jnet's group, untagged, with its MTU one below (never pinned). The next ADD removes
# that half-made bridge (no ports) and makes it anew, complete: tagged as jnet's bridge, MTU
# 1500, the container's eth0 MTU 1500 (no DEL in between). Variant "lock": the bridge lock's crash mark is gone
# too (RUNDIR cleared), so only the bridge itself says it is half made.
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnitool import conf, done, links, ok, run, sh  # noqa: E402

if shutil.which("strace") is None:
    print("SKIP: strace is not installed (Debian: strace)")
    sys.exit(77)
RUN = "/run/jnet-hb"
c = conf("1.0.0", bridge="hb0")
ENV = {"JNET_RUNDIR": RUN, "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0"}
sh("ip", "netns", "add", "h")
sh("ip", "netns", "add", "h2")
NS, NS2 = "/run/netns/h", "/run/netns/h2"  # the killed ADD's, the next ADD's


def killed_add(n):
    return run("ADD", c, cid="hk", netns=NS, env=ENV,
               prefix=["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=sendto,sendmsg",
                       "-e", "inject=sendto,sendmsg:signal=KILL:when=%d" % n])


n, half = 1, 0
while n < 40:
    for variant in ("mark", "lock"):
        sh("ip", "link", "del", "hb0")
        r = killed_add(n)
        if r.rc == 0:
            break
        b = links().get("hb0")
        if b is not None and b.get("group") == "27246" and not b.get("ifalias"):
            half += 1
        if variant == "lock":
            shutil.rmtree(RUN, ignore_errors=True)
        a = run("ADD", c, cid="h%d%s" % (n, variant), netns=NS2, env=ENV)
        ok("killed at %d (%s): the next ADD succeeds" % (n, variant), a.rc == 0, a)
        b = links().get("hb0", {})
        ok("killed at %d (%s): the bridge is jnet's, complete: tagged, MTU 1500" % (n, variant),
           b.get("ifalias", "").startswith("jnet/2 bridge netns") and b.get("mtu") == 1500, b)
        e = links("h2").get("eth0", {})
        ok("killed at %d (%s): the container's eth0 has MTU 1500" % (n, variant),
           e.get("mtu") == 1500, e)
        run("DEL", c, cid="h%d%s" % (n, variant), netns=NS2, env=ENV)
        run("DEL", c, cid="hk", netns=NS, env=ENV)
    else:
        n += 1
        continue
    break
ok("ADD completed once not killed (after %d kill points)" % (n - 1), r.rc == 0 and n > 3, r)
ok("some kill left the bridge half made (in group, untagged): %d" % half, half > 0)
run("DEL", c, cid="hk", netns=NS, env=ENV)
sh("ip", "netns", "del", "h")
sh("ip", "netns", "del", "h2")
done()
