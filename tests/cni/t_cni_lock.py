# Error 11 (try again later): another jnet command holds the attachment's lock (the lock
# file RUNDIR/jail.CONTAINERID@IFNAME, flock(2)) past the lock wait; nothing is created.
# The wait is JNET_LOCK_WAIT (3 s here; 120 by default).
import fcntl
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnitool import conf, done, ok, run, sh, snapshot  # noqa: E402

sh("ip", "netns", "add", "l1")
os.makedirs("/run/jnet", exist_ok=True)
f = open("/run/jnet/jail.lk1@eth0", "w")
fcntl.flock(f, fcntl.LOCK_EX)
before = snapshot()
t0 = time.time()
r = run("ADD", conf(), cid="lk1", netns="/run/netns/l1", env={"JNET_LOCK_WAIT": "3"})
waited = time.time() - t0
ok("ADD while the attachment is locked: error 11", r.rc != 0 and r.code() == 11, r)
ok("it waited the lock wait (JNET_LOCK_WAIT=3) first", 2.5 <= waited < 60, waited)
ok("nothing created", before == snapshot())
fcntl.flock(f, fcntl.LOCK_UN)
r = run("ADD", conf(), cid="lk1", netns="/run/netns/l1")
ok("ADD once the lock is free: success", r.rc == 0, r)
run("DEL", conf(), cid="lk1", netns="/run/netns/l1")
done()
