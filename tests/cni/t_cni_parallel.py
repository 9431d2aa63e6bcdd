# 32 ADDs of distinct containers at once (the bridge made by whichever comes first), then 32
# DELs at once: every ADD succeeds with its own host end on the one bridge, and nothing is
# left after the DELs but the bridge.
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnitool import JNET, conf, done, links, ok, sh  # noqa: E402

N = 32
c = json.dumps(conf())


def start(cmd, i, cid=None):
    env = dict(os.environ, CNI_COMMAND=cmd, CNI_CONTAINERID=cid or "par%02d" % i,
               CNI_NETNS="/run/netns/p%02d" % i, CNI_IFNAME="eth0", CNI_PATH="/usr/lib/cni")
    p = subprocess.Popen([JNET], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    p.stdin.write(c)
    p.stdin.close()
    return p


for i in range(N):
    sh("ip", "netns", "add", "p%02d" % i)
procs = [start("ADD", i) for i in range(N)]
res = []
for p in procs:
    out = p.stdout.read()
    p.wait()
    res.append((p.returncode, out))
ok("32 concurrent ADDs: all succeed", all(rc == 0 for rc, _ in res),
   [o for rc, o in res if rc != 0][:2])
hosts = [json.loads(o)["interfaces"][1]["name"] for rc, o in res if rc == 0]
L = links()
ok("32 distinct host ends, all on cni0", len(set(hosts)) == N and
   all(L.get(h, {}).get("master") == "cni0" for h in hosts), hosts)
ok("every namespace has its eth0 up", all("UP" in links("p%02d" % i).get("eth0", {}).get("flags", [])
                                          for i in range(N)))
procs = [start("DEL", i) for i in range(N)]
rcs = [p.wait() for p in procs]
ok("32 concurrent DELs: all succeed", all(rc == 0 for rc in rcs), rcs)
L = links()
ok("nothing left but the bridge", not [n for n, l in L.items() if " cni=" in l.get("ifalias", "")] and
   not any("eth0" in links("p%02d" % i) for i in range(N)) and "cni0" in L)
# 8 ADDs of one attachment at once (a runtime must not, but): one wins, the others get 102
# and leave its link alone
procs = [start("ADD", 0, "same") for _ in range(8)]
res = [(p.wait(), p.stdout.read()) for p in procs]
codes = sorted(json.loads(o).get("code", 0) if o.strip() else -1 for _, o in res)
ok("8 concurrent ADDs of one attachment: one succeeds, 7 refused with 102",
   codes == [0] + [102] * 7 and sum(1 for rc, _ in res if rc == 0) == 1, codes)
win = [json.loads(o) for rc, o in res if rc == 0]
ok("the winner's link is the one in the namespace", win and links("p00").get("eth0", {}).get("address") ==
   win[0]["interfaces"][2]["mac"] and win[0]["interfaces"][1]["name"] in links(), win)
ok("DEL of it succeeds", start("DEL", 0, "same").wait() == 0 and "eth0" not in links("p00"))
done()
