#!/bin/sh
# VLAN uplinks, epair backend (the body: vlan_body.sh).
BE=epair
. "$(dirname "$0")/vlan_body.sh"
