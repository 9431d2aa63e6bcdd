# A lab interface with an MTU below IPv6's minimum (1280) on an IPv4-only interface: the
# file allows it (68..65535 without IPv6), so `up` must build it: bridge ports and a
# point-to-point link at MTU 1000, a 1000-byte packet crosses, a bigger one does not.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/lablib.sh"

cat > "$WORK/mtu.yaml" <<'YAML'
lab: mtu
bridges: { lan0: {} }
jails:
  a:
    interfaces: [ { bridge: lan0, address: 10.0.0.1/24, mtu: 1000 } ]
  b:
    interfaces: [ { bridge: lan0, address: 10.0.0.2/24, mtu: 1000 } ]
links:
  - [ { jail: a, address: 10.9.0.1/30, mtu: 1000 }, { jail: b, address: 10.9.0.2/30 } ]
YAML
t "mtu 1000: up" jnet lab up "$WORK/mtu.yaml"
t "mtu 1000: complete" lab_complete "$WORK/mtu.yaml"
t "mtu 1000: a's port" nlc -n mtu.a link "$(jnet name mtu.a 0 b)" mtu=1000
t "mtu 1000: the link" nlc -n mtu.b link "$(jnet name mtu.b 1 b)" mtu=1000
t "mtu 1000: a full frame crosses the bridge" \
    jnet lab exec "$WORK/mtu.yaml" a -- ping -n -c 1 -W 2 -M do -s 972 10.0.0.2
t "mtu 1000: a bigger one does not" sh -c "! '$JNET' lab exec '$WORK/mtu.yaml' a -- ping -n -c 1 -W 2 -M do -s 973 10.0.0.2"
t "mtu 1000: down" jnet lab down "$WORK/mtu.yaml"
nothing_at_all "mtu 1000"
finish
