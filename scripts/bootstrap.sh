# Sourced by scripts/start.sh and scripts/test.sh: the Bun pinned in .bun-version, then the locked
# dependencies. On a fresh Debian/Ubuntu machine it installs Node.js/npm first (root or sudo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/packages.sh

bun_version="$(tr -d '[:space:]' < .bun-version)"
if [ "$(bun --version 2>/dev/null || true)" != "$bun_version" ]; then
  command -v npm > /dev/null || need_packages "installing Bun $bun_version" nodejs npm
  echo "bootstrap: installing Bun $bun_version with npm"
  # Bun's postinstall puts the real binary in place of a placeholder; npm 11 warns before running it.
  npm install --global --no-fund --no-audit --allow-scripts=bun "bun@$bun_version"
  # Ahead of any other Bun on PATH, such as an older one in ~/.bun/bin.
  PATH="$(npm prefix --global)/bin:$PATH"
  hash -r
  if [ "$(bun --version 2>/dev/null || true)" != "$bun_version" ]; then
    echo "bootstrap: npm installed bun@$bun_version, but $(command -v bun || echo 'no bun') on PATH is not it" >&2
    exit 1
  fi
fi

bun install --frozen-lockfile
