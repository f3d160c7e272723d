#!/usr/bin/env bash
# Quick start: PostgreSQL, Kafka and Mailpit (reused when they answer), a fresh dist/shop, and the shop itself.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
need_service_packages
if [ -z "${SMTP_URL:-}" ]; then
  # infra:up starts Mailpit here when nothing answers; the shop mails its customers through it.
  export SMTP_URL=smtp://127.0.0.1:1025
  echo "start: the shop's mails are at http://127.0.0.1:8025 (Mailpit)"
fi
exec bun run start
