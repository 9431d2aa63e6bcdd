"""cnitool-like driver of a CNI plugin, for tests/cni (run inside tests/integration/sandbox.sh).

As a runtime does: sets CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS and
CNI_PATH, writes the network configuration on the plugin's stdin, reads its stdout as JSON
(python's json module), and for a conflist passes each plugin's result to the next as
prevResult (DEL: in reverse order). Kernel state is read with iproute2 (`ip -d -j`), never
through jnet. Library (import cnitool) and command line (python3 cnitool.py -h).
"""
import json
import os
import subprocess
import sys

JNET = os.environ.get("JNET", "jnet")
CNI_PATH = os.environ.get("CNI_PATH_DIRS", "/usr/lib/cni")
VERSIONS = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"]

failures = 0
checks = 0


def ok(desc, cond, detail=""):
    """One assertion: prints ok/not ok (TAP-like); counts failures."""
    global failures, checks
    checks += 1
    if cond:
        print("ok - %s" % desc)
    else:
        failures += 1
        print("not ok - %s%s" % (desc, (": " + str(detail)) if detail else ""))
    sys.stdout.flush()
    return cond


def done():
    print("# %d checks, %d failed" % (checks, failures))
    sys.exit(1 if failures else 0)


class Reply:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err
        try:
            self.json = json.loads(out) if out.strip() else None
        except ValueError:
            self.json = None

    def code(self):
        return self.json.get("code") if isinstance(self.json, dict) else None

    def __repr__(self):
        return "rc=%d out=%r err=%r" % (self.rc, self.out[:600], self.err[:300])


def run(cmd, conf, cid="c1", netns=None, ifname="eth0", args=None, plugin=None,
        env=None, raw=None, drop=(), prefix=(), timeout=120):
    """Run one plugin (default jnet) with CNI_COMMAND=cmd and `conf` (dict, or text in raw)."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("CNI_")}
    e.update({"CNI_COMMAND": cmd, "CNI_CONTAINERID": cid, "CNI_IFNAME": ifname,
              "CNI_PATH": CNI_PATH})
    if netns is not None:
        e["CNI_NETNS"] = netns
    if args is not None:
        e["CNI_ARGS"] = args
    for k in drop:
        e.pop(k, None)
    if env:
        e.update(env)
    text = raw if raw is not None else json.dumps(conf)
    exe = plugin or JNET
    p = subprocess.run(list(prefix) + [exe], input=text, capture_output=True, text=True,
                       env=e, timeout=timeout)
    return Reply(p.returncode, p.stdout, p.stderr)


def plugin_path(t):
    if t == "jnet":
        return JNET
    for d in CNI_PATH.split(":"):
        if os.access(os.path.join(d, t), os.X_OK):
            return os.path.join(d, t)
    return None


def conflist_run(cmd, conflist, prev=None, **kw):
    """A conflist as a runtime runs it: ADD in order with each result as the next prevResult;
    CHECK in order with the cached ADD result; DEL in reverse with the cached result.
    Returns (Reply of the last plugin run, the final result)."""
    plugins = conflist["plugins"]
    order = list(reversed(plugins)) if cmd == "DEL" else plugins
    result, rep = prev, None
    for p in order:
        c = dict(p)
        c["cniVersion"] = conflist["cniVersion"]
        c["name"] = conflist["name"]
        if result is not None:
            c["prevResult"] = result
        rep = run(cmd, c, plugin=plugin_path(p["type"]), **kw)
        if rep.rc != 0:
            return rep, result
        if cmd == "ADD":
            result = rep.json
    return rep, result


def with_prev(conf, result):
    c = dict(conf)
    c["prevResult"] = result
    return c


def sh(*argv):
    return subprocess.run(argv, capture_output=True, text=True).stdout


def netns_list():
    return sorted(l.split()[0] for l in sh("ip", "netns", "list").splitlines() if l.strip())


def links(ns=None):
    """ip -d -j link (of namespace ns), volatile fields dropped, keyed by name."""
    argv = ["ip"] + (["-n", ns] if ns else []) + ["-d", "-j", "link", "show"]
    out = {}
    for l in json.loads(sh(*argv) or "[]"):
        for k in ("stats", "stats64", "linkinfo"):
            pass
        l = {k: v for k, v in l.items() if k not in ("stats", "stats64")}
        if "linkinfo" in l and "info_data" in l["linkinfo"]:
            l["linkinfo"]["info_data"] = {k: v for k, v in l["linkinfo"]["info_data"].items()
                                          if "timer" not in k and "tcn" not in k and
                                          "topology" not in k}
        out[l["ifname"]] = l
    return out


def snapshot():
    """Every link of the host and of every named namespace, and the namespace list."""
    s = {"": links(), "netns": netns_list()}
    for ns in s["netns"]:
        s["ns:" + ns] = links(ns)
    return s


def settled():
    """A snapshot once the kernel's asynchronous carrier/operstate updates (linkwatch, up to
    about a second after a bridge's last port goes, longer on a loaded machine) are over:
    equal for three looks 0.5 s apart."""
    import time
    prev, same = snapshot(), 0
    for _ in range(30):
        time.sleep(0.5)
        cur = snapshot()
        same = same + 1 if cur == prev else 0
        if same == 2:
            return cur
        prev = cur
    return prev


def diff(a, b):
    """What differs between two snapshots: (namespace, interface, field, before, after)."""
    out = []
    for ns in sorted(set(a) | set(b)):
        x, y = a.get(ns), b.get(ns)
        if not isinstance(x, dict) or not isinstance(y, dict):
            if x != y:
                out.append((ns, None, None, x, y))
            continue
        for i in sorted(set(x) | set(y)):
            p, q = x.get(i) or {}, y.get(i) or {}
            for k in sorted(set(p) | set(q)):
                if p.get(k) != q.get(k):
                    out.append((ns, i, k, p.get(k), q.get(k)))
    return out


def addrs(ns, ifname):
    out = json.loads(sh("ip", "-n", ns, "-j", "addr", "show", "dev", ifname) or "[]")
    return [a["local"] + "/" + str(a["prefixlen"]) for i in out for a in i.get("addr_info", [])]


def conf(version="1.0.0", **keys):
    c = {"cniVersion": version, "name": "jnettest", "type": "jnet"}
    c.update(keys)
    return c


def main():
    import argparse
    ap = argparse.ArgumentParser(description="run a CNI plugin as a runtime does")
    ap.add_argument("command", choices=["ADD", "DEL", "CHECK", "VERSION", "GC", "STATUS"])
    ap.add_argument("config", help="network configuration or conflist (JSON file, - for stdin)")
    ap.add_argument("--cid", default="c1")
    ap.add_argument("--netns")
    ap.add_argument("--ifname", default="eth0")
    ap.add_argument("--args")
    ap.add_argument("--prev", help="result file (prevResult for CHECK/DEL)")
    a = ap.parse_args()
    c = json.load(sys.stdin if a.config == "-" else open(a.config))
    prev = json.load(open(a.prev)) if a.prev else None
    kw = dict(cid=a.cid, netns=a.netns, ifname=a.ifname, args=a.args)
    if "plugins" in c:
        rep, res = conflist_run(a.command, c, prev=prev, **kw)
    else:
        rep = run(a.command, with_prev(c, prev) if prev else c, **kw)
    sys.stdout.write(rep.out)
    sys.stderr.write(rep.err)
    sys.exit(rep.rc)


if __name__ == "__main__":
    main()
