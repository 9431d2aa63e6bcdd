#!/bin/sh
# bridge del racing addm, epair backend (the body: race_body.sh).
BE=epair
. "$(dirname "$0")/race_body.sh"
