#!/usr/bin/env bash
# Quick start: PostgreSQL and Kafka (reused when they answer), a fresh dist/shop, and the shop itself.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
need_service_packages
exec bun run start
