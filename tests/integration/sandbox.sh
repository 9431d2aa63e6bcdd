#!/bin/sh
# Run "$@" inside a private network + mount namespace with a private /run (so a private
# /run/netns for `ip netns`). Exit 77 (skipped, with the reason) where that is impossible.
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to create a private network namespace"
	exit 77
fi
if ! unshare --net --mount --propagation private true 2>/dev/null; then
	echo "SKIP: this system does not allow 'unshare --net --mount' (container without CAP_SYS_ADMIN?)"
	exit 77
fi
for tool in ip ping; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP: '$tool' is not installed (Debian: iproute2, iputils-ping)"
		exit 77
	fi
done
exec unshare --net --mount --propagation private sh -c '
	mount -t tmpfs -o mode=755 jnet-sandbox /run || exit 1
	ip link set lo up || exit 1
	exec "$@"' sandbox "$@"
