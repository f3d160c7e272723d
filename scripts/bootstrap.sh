# Sourced by scripts/start.sh and scripts/test.sh: the Bun pinned in .bun-version, then the locked
# dependencies. Needs only Node.js/npm on a fresh machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bun_version="$(tr -d '[:space:]' < .bun-version)"
if [ "$(bun --version 2>/dev/null || true)" != "$bun_version" ]; then
  if ! command -v npm > /dev/null; then
    echo "bootstrap: npm not found, and it installs Bun $bun_version: apt-get install -y nodejs npm" >&2
    exit 1
  fi
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
