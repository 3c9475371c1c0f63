#!/usr/bin/env bash
# Gets this checkout ready to run: Node packages, .env, PostgreSQL, Redis, database schema.
# Idempotent: re-running only does what is missing. Usage: scripts/setup.sh [--test]
#   --test  also makes sure the browser for the e2e tests (/usr/bin/chromium) is installed.
#
# PostgreSQL and Redis are only installed/started when DATABASE_URL / REDIS_URL point at this
# machine and nothing answers there; a remote server that does not answer is an error.
set -euo pipefail
LOG_PREFIX=setup
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LIAISON_ROOT"

with_test=
for arg in "$@"; do
  case "$arg" in
  --test) with_test=1 ;;
  -h | --help)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown argument: $arg (usage: scripts/setup.sh [--test])" ;;
  esac
done
mkdir -p .tmp

# ── Node ──────────────────────────────────────────────────────────────────────────────────
command -v node >/dev/null 2>&1 ||
  die "Node.js is not installed. Install Node 20 LTS or newer (https://nodejs.org, nvm or NodeSource) and re-run."
node_version=$(node -p 'process.versions.node')
# package.json "engines" asks for >= 20.11 (import.meta.dirname, stable --import loaders).
node -e '
  const [a, b] = process.versions.node.split(".").map(Number);
  process.exit(a > 20 || (a === 20 && b >= 11) ? 0 : 1)
' || die "Node $node_version is too old: Liaison needs Node 20.11 or newer."
say "node $node_version ok"

# ── npm packages ──────────────────────────────────────────────────────────────────────────
# NOTE: `npm ci` fails on some machines because the lockfile lists platform-specific optional
# packages; `npm install` honours the lockfile and tolerates that.
if [ ! -f node_modules/.package-lock.json ] ||
  [ package.json -nt node_modules/.package-lock.json ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm install)"
  npm install --no-audit --no-fund --loglevel=error
else
  say "npm packages up to date"
fi

# The Prisma client is generated into app/generated (git-ignored) by npm's postinstall;
# regenerate when it is missing or older than the schema (e.g. after a git pull).
if [ ! -d app/generated/prisma ] || [ prisma/schema.prisma -nt app/generated/prisma ]; then
  say "generating the Prisma client"
  node scripts/prisma.mjs generate >.tmp/prisma-generate.log 2>&1 ||
    {
      cat .tmp/prisma-generate.log >&2
      die "prisma generate failed"
    }
  touch app/generated/prisma
fi

# ── .env ──────────────────────────────────────────────────────────────────────────────────
random_hex() { openssl rand -hex 32 2>/dev/null || node -p 'require("crypto").randomBytes(32).toString("hex")'; }

if [ ! -f .env ]; then
  [ -f .env.example ] || die ".env.example is missing: cannot create .env"
  cp .env.example .env
  chmod 600 .env # it holds secrets
  say "created .env from .env.example"
fi
# Fill every empty *_SECRET / *_KEY variable with a fresh random value (SESSION_SECRET today;
# an encryption key added to .env.example later gets the same treatment).
for key in $(grep -oE '^[A-Z0-9_]*(SECRET|KEY)=[[:space:]]*$' .env | cut -d= -f1); do
  secret=$(random_hex)
  sed -i.bak "s|^${key}=[[:space:]]*\$|${key}=${secret}|" .env && rm -f .env.bak
  say "generated a random $key in .env"
done

load_dotenv .env
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set (in the environment or .env)"
[ -n "${REDIS_URL:-}" ] || die "REDIS_URL is not set (in the environment or .env)"

# ── PostgreSQL ────────────────────────────────────────────────────────────────────────────
# Tries a connection to the server's "postgres" database (the app's may not exist yet).
# Exit status: 0 connected, 3 server answered but refused our credentials, 2 no server.
pg_probe() {
  node -e '
    const pg = require("pg");
    const u = new URL(process.argv[1]);
    u.pathname = "/postgres";
    const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 3000 });
    c.connect().then(
      () => c.end().then(() => process.exit(0)),
      (e) => {
        process.stderr.write(String(e.message) + "\n");
        const auth = ["28P01", "28000"].includes(e.code) || /password|SASL|authentication/i.test(e.message);
        process.exit(auth ? 3 : 2);
      },
    );
  ' "$1" 2>.tmp/pg-probe.err
}

pg_wait() {
  local i rc
  for ((i = 0; i < 30; i++)); do
    rc=0
    pg_probe "$DATABASE_URL" || rc=$?
    [ "$rc" != 2 ] && return "$rc"
    sleep 0.5
  done
  return 2
}

pg_cluster_version() {
  ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1
}

# Makes the URL's user able to log in over 127.0.0.1/::1. With a password in DATABASE_URL the
# role gets that password (Debian's default pg_hba uses scram-sha-256 on loopback); without
# one, pg_hba.conf gets loopback-only "trust" lines for that user.
pg_fix_auth() {
  local ver=$1 user password hba q="'" ident literal
  user=$(url_part "$DATABASE_URL" user)
  password=$(url_part "$DATABASE_URL" password)
  user=${user:-postgres}
  hba=/etc/postgresql/$ver/main/pg_hba.conf
  ident="\"${user//\"/\"\"}\""    # SQL identifier: "name"
  literal="$q${user//$q/$q$q}$q"     # SQL string: 'name'
  # The role may not exist when DATABASE_URL names someone other than postgres. CREATEDB
  # because Prisma's migrate commands open a temporary shadow database.
  as_postgres psql -qAt -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $literal) THEN
    CREATE ROLE $ident LOGIN CREATEDB;
  END IF;
END \$\$;
SQL
  if [ -n "$password" ]; then
    printf 'ALTER ROLE %s WITH LOGIN PASSWORD %s;\n' "$ident" "$q${password//$q/$q$q}$q" |
      as_postgres psql -qAt -v ON_ERROR_STOP=1 >/dev/null
    say "PostgreSQL: set the password of role $user to the one in DATABASE_URL"
  elif ! as_root grep -q "^# liaison-setup: trust $user\$" "$hba"; then
    # Prepended: pg_hba.conf is read top-down and the first matching line wins.
    as_root sed -i "1i # liaison-setup: trust $user\nhost all $user 127.0.0.1/32 trust\nhost all $user ::1/128 trust" "$hba"
    as_root pg_ctlcluster "$ver" main reload
    say "PostgreSQL: DATABASE_URL has no password, so $hba now lets $user connect"
    say "  from this machine only (127.0.0.1, ::1) without one (trust). To use a password instead,"
    say "  put it in DATABASE_URL (postgresql://$user:PASSWORD@...) and re-run setup."
  fi
}

provision_postgres() {
  local host port ver status cluster_port
  host=$(url_part "$DATABASE_URL" host)
  port=$(url_part "$DATABASE_URL" port)
  port=${port:-5432}
  is_loopback "$host" ||
    die "no PostgreSQL answers at $(redact_url "$DATABASE_URL"): $(cat .tmp/pg-probe.err). It is not on this machine, so setup will not install one; fix DATABASE_URL in .env or start that server."

  say "no PostgreSQL answers at $host:$port: setting up a local one"
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt_install postgresql
  fi
  ver=$(pg_cluster_version)
  if [ -z "$ver" ]; then
    # The packages are there but the cluster was removed: make the default one.
    ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    [ -n "$ver" ] || die "PostgreSQL packages look broken (/usr/lib/postgresql is empty)"
    say "PostgreSQL: creating cluster $ver/main"
    as_root pg_createcluster "$ver" main >/dev/null
  fi

  cluster_port=$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" { print $3 }')
  status=$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" { print $4 }')
  [ "$cluster_port" = "$port" ] ||
    die "the local PostgreSQL $ver cluster listens on port $cluster_port but DATABASE_URL says $port: change one of them"

  if [ "$status" != online ]; then
    # Debian's default listen_addresses is 'localhost': the server is reachable from this
    # machine only. With systemd the service also comes back after a reboot.
    if [ -d /run/systemd/system ]; then
      as_root systemctl start "postgresql@$ver-main"
    else
      as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    fi
    say "PostgreSQL: started cluster $ver/main on localhost:$cluster_port"
  fi

  local rc=0
  pg_wait || rc=$?
  if [ "$rc" = 3 ]; then
    pg_fix_auth "$ver"
    rc=0
    pg_wait || rc=$?
  fi
  # Refused credentials were fixed above; what is left is "nothing answers": say what does.
  [ "$rc" = 0 ] ||
    die "$(node scripts/pg-diagnose.mjs "$DATABASE_URL" "$(cat .tmp/pg-probe.err)")"
}

rc=0
pg_probe "$DATABASE_URL" || rc=$?
case "$rc" in
0) say "PostgreSQL answers at $(redact_url "$DATABASE_URL")" ;;
3)
  # A server is there but refuses us. Only a local Debian cluster is ours to reconfigure.
  host=$(url_part "$DATABASE_URL" host)
  if is_loopback "$host" && [ -n "$(pg_cluster_version)" ]; then
    say "PostgreSQL refused the credentials in DATABASE_URL: $(cat .tmp/pg-probe.err)"
    pg_fix_auth "$(pg_cluster_version)"
    pg_wait || die "PostgreSQL still refuses $(redact_url "$DATABASE_URL"): $(cat .tmp/pg-probe.err)"
  else
    die "PostgreSQL refused the credentials in DATABASE_URL ($(redact_url "$DATABASE_URL")): $(cat .tmp/pg-probe.err)"
  fi
  ;;
*) provision_postgres ;;
esac

# ── Redis ─────────────────────────────────────────────────────────────────────────────────
provision_redis() {
  local host port password i
  host=$(url_part "$REDIS_URL" host)
  port=$(url_part "$REDIS_URL" port)
  port=${port:-6379}
  password=$(url_part "$REDIS_URL" password)
  is_loopback "$host" ||
    die "no Redis answers at $(redact_url "$REDIS_URL"). It is not on this machine, so setup will not install one; fix REDIS_URL in .env or start that server."

  say "no Redis answers at $host:$port: setting up a local one"
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  # On a systemd machine the package starts its service (127.0.0.1:6379) by itself.
  if [ -d /run/systemd/system ] && [ "$port" = 6379 ] && [ -z "$password" ]; then
    tcp_open 127.0.0.1 "$port" || as_root systemctl start redis-server || true
  fi
  if ! tcp_open 127.0.0.1 "$port"; then
    # Queues only: no persistence needed, bound to loopback so nothing outside can reach it.
    local args=(--daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no
      --logfile "$LIAISON_ROOT/.tmp/redis.log")
    [ -n "$password" ] && args+=(--requirepass "$password")
    redis-server "${args[@]}"
    say "Redis: started redis-server on 127.0.0.1:$port (no persistence; log .tmp/redis.log)."
    say "  It does not restart after a reboot: re-run setup (or npm run demo) then."
  fi
  for ((i = 0; i < 20; i++)); do
    tcp_open 127.0.0.1 "$port" && return 0
    sleep 0.25
  done
  die "Redis did not start on 127.0.0.1:$port (see .tmp/redis.log)"
}

redis_host=$(url_part "$REDIS_URL" host)
redis_port=$(url_part "$REDIS_URL" port)
if tcp_open "$redis_host" "${redis_port:-6379}"; then
  say "Redis answers at $(redact_url "$REDIS_URL")"
else
  provision_redis
fi

# ── Database and schema ───────────────────────────────────────────────────────────────────
db_name=$(url_part "$DATABASE_URL" db)
out=$(node scripts/ensure-db.mjs 2>&1) || {
  printf '%s\n' "$out" >&2
  die "could not create database $db_name"
}
[ -n "$out" ] && say "$out"
out=$(node scripts/prisma.mjs migrate deploy 2>&1) || {
  printf '%s\n' "$out" >&2
  die "migrations failed on database $db_name"
}
if grep -q 'No pending migrations' <<<"$out"; then
  say "database $db_name: schema up to date"
else
  applied=$(grep -oE '[0-9]{14}_[A-Za-z0-9_]+' <<<"$out" | sort -u | tr '\n' ' ')
  say "database $db_name: applied migrations ${applied:-(see prisma output)}"
fi

# ── Browser for e2e tests ─────────────────────────────────────────────────────────────────
if [ -n "$with_test" ]; then
  # NOTE: the e2e tests drive Debian's Chromium through playwright-core; never a browser
  # downloaded by Playwright (its CDN is not reachable from every machine).
  if [ -x /usr/bin/chromium ]; then
    say "chromium present (/usr/bin/chromium)"
  else
    apt_install chromium fonts-liberation
    [ -x /usr/bin/chromium ] || die "chromium was installed but /usr/bin/chromium is missing"
    say "installed chromium"
  fi
fi

say "done"
