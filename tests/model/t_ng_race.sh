#!/bin/sh
# bridge del racing addm, netgraph backend (the body: race_body.sh).
BE=netgraph
. "$(dirname "$0")/race_body.sh"
