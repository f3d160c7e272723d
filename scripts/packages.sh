# Sourced by the quick-start scripts: installs missing Debian packages when this user may (root, or
# sudo without a password), and otherwise stops at once with the one command that would.
# usage: need_packages [--lean] "why" package...   (--lean: without the packages' recommendations)
need_packages() {
  local lean=()
  if [ "$1" = --lean ]; then lean=(--no-install-recommends); shift; fi
  local why="$1"; shift
  [ $# -gt 0 ] || return 0
  local as_root=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then
      as_root=(sudo)
    else
      echo "missing for $why: $*. Install with this command, then run this again:" >&2
      echo "  sudo apt-get install -y $*" >&2
      exit 1
    fi
  fi
  echo "setup: installing $* ($why); the first time takes a minute or two"
  if printf '%s\n' "$@" | grep -qx postgresql; then
    # infra:up runs its own PostgreSQL; a Debian default cluster would take port 5432 from it.
    local conf=/etc/postgresql-common/createcluster.d/shop.conf
    "${as_root[@]}" mkdir -p "$(dirname "$conf")"
    echo "create_main_cluster = false" | "${as_root[@]}" tee "$conf" > /dev/null
  fi
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${lean[@]}" "$@"
}

# Whether something accepts TCP connections at host:port, within a second.
answers() {
  timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2> /dev/null
}

# The packages infra:up needs to start PostgreSQL and Kafka itself, when none answers and no Docker
# engine runs: it reuses whatever answers at DATABASE_URL and KAFKA_BROKERS.
need_service_packages() {
  local missing=()
  if ! docker info > /dev/null 2>&1; then
    local db="${DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/shop}"
    local db_host db_port
    db_host="$(sed -E 's#^[a-z]+://([^@/]*@)?(\[[^]]*\]|[^:/]*).*#\2#' <<< "$db")"
    db_port="$(sed -E 's#^[a-z]+://([^@/]*@)?(\[[^]]*\]|[^:/]*)(:([0-9]+))?.*#\4#' <<< "$db")"
    if ! answers "${db_host:-127.0.0.1}" "${db_port:-5432}" \
      && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null && ! command -v initdb > /dev/null; then
      missing+=(postgresql)
    fi
    local broker="${KAFKA_BROKERS:-127.0.0.1:9092}"
    broker="${broker%%,*}"
    if ! answers "${broker%:*}" "${broker##*:}"; then
      command -v java > /dev/null || missing+=(openjdk-17-jre-headless)
      command -v mvn > /dev/null || missing+=(maven)
    fi
    # Mailpit, for the shop's mail, is built with Go once (scripts/infra/mailpit.ts).
    local smtp="${SMTP_URL:-smtp://127.0.0.1:1025}"
    smtp="$(sed -E 's#^[a-z]+://([^@/]*@)?##; s#/.*##' <<< "$smtp")"
    if ! answers "${smtp%:*}" "${smtp##*:}" && ! command -v go > /dev/null && ! [ -x /usr/local/go/bin/go ]; then
      missing+=(golang-go)
    fi
  fi
  need_packages "PostgreSQL, Kafka and Mailpit" "${missing[@]}"
}
