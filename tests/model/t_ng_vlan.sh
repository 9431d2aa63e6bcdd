#!/bin/sh
# VLAN uplinks, netgraph backend (the body: vlan_body.sh).
BE=netgraph
. "$(dirname "$0")/vlan_body.sh"
