#!/usr/bin/env bash
# Every test: unit, integration against real PostgreSQL and Kafka, and browser tests in Chromium.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "test: installing Chromium for the browser tests"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  else
    echo "test: /usr/bin/chromium not found, so the browser tests cannot run: sudo apt-get install -y chromium" >&2
  fi
fi

exec bun run test
