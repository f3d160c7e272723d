#!/usr/bin/env bash
# Every test: unit, integration against real PostgreSQL and Kafka, fault and browser tests in Chromium.
# It runs in a namespace of its own (database shop_test, topics and groups "test."), so a shop started
# with ./scripts/start.sh keeps running, untouched, beside it.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
need_service_packages

# The browser tests drive Debian's Chromium; no tool downloads a browser of its own.
[ -x /usr/bin/chromium ] || need_packages "the browser tests" chromium
# promtool checks the /metrics output; the Prometheus server's recommended exporters are not needed.
command -v promtool > /dev/null || need_packages --lean "the metrics test" prometheus
# The network fault tests build Toxiproxy from the Go module proxy, once (test/support/toxiproxy.ts),
# and the tracing tests Jaeger (scripts/infra/jaeger/go.mod); a Go of 1.21 or later fetches the newer
# toolchain either asks for by itself.
command -v go > /dev/null || [ -x /usr/local/go/bin/go ] || need_packages "Toxiproxy and Jaeger, for the network fault and tracing tests" golang-go
# The API fuzz test installs Schemathesis from PyPI into a virtualenv of its own (scripts/schemathesis.sh).
python3 -c 'import ensurepip, venv' 2> /dev/null || need_packages "Schemathesis, for the API fuzz test" python3 python3-venv

exec bun run test
