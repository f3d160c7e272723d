#!/usr/bin/env bash
# Installs Schemathesis, the OpenAPI fuzzer test/integration/fuzzApi.test.ts runs against the binary,
# once per machine: pinned, in a virtualenv of its own under .infra/schemathesis/<version>/, never
# into the system's Python. Prints the path of its executable.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

version=4.32.5
home=".infra/schemathesis/$version"
if [ ! -f "$home/installed" ]; then
  python="$(command -v python3 || true)"
  if [ -z "$python" ]; then
    echo "python3 not found, needed for Schemathesis: apt-get install -y python3 python3-venv (scripts/test.sh does it)" >&2
    exit 1
  fi
  echo "schemathesis: installing $version into $home: once, about a minute" >&2
  # A virtualenv cannot be moved once made, so a half-made one is removed rather than finished.
  rm -rf "$home"
  "$python" -m venv "$home" >&2
  "$home/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version" >&2
  touch "$home/installed"
fi
echo "$PWD/$home/bin/schemathesis"
