#!/usr/bin/env bash
# Quick start: PostgreSQL, Kafka and Mailpit (reused when they answer), a fresh dist/shop, and the shop itself.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
need_service_packages
if [ -z "${SMTP_URL:-}" ]; then
  # infra:up starts Mailpit here when nothing answers; the shop mails its customers through it.
  export SMTP_URL=smtp://127.0.0.1:1025
  echo "start: the shop's mails are at http://127.0.0.1:8025 (Mailpit)"
fi
answers() { (: < "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
if [ -z "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ] && answers 4318 && answers 16686; then
  # A Jaeger runs (bun run infra:up -- --tracing): every order is traced into it, not one in a
  # hundred, and the operations page links each order to its traces. Without one, nothing is traced.
  export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 OTEL_TRACES_SAMPLER_ARG="${OTEL_TRACES_SAMPLER_ARG:-1}"
  export JAEGER_UI_URL="${JAEGER_UI_URL:-http://127.0.0.1:16686}"
  echo "start: the shop's traces are at http://127.0.0.1:16686 (Jaeger)"
fi
exec bun run start
