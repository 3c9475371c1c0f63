#!/usr/bin/env bash
# The benchmarks (`npm run bench`): prints figures, not pass/fail. Gets the machine ready
# (setup), prepares its own database (liaison_bench on the server of DATABASE_URL: created,
# migrated, seeded with the demo data), builds the app when build/ is missing or older than
# app/, then runs every scripts/bench/*.bench.ts in name order with `npx tsx`.
#
#   npm run bench                         everything, with the defaults below
#   npm run bench -- web                  only the benchmarks whose file name contains "web"
#   npm run bench -- import               the CSV imports (inventory 10,000 systems, code maps 20,000, roster 10,000) vs raw COPY
#   npm run bench -- projects             the project list at 500 projects and the timeline at 200 steps vs bare SQL
#   npm run bench -- raci                 the RACI page's data and import at 300 activities × 150 members vs bare SQL
#   npm run bench -- readiness            the readiness scorecard (50 interfaces, 10,000 staff) and the portfolio of 200 projects vs bare SQL
#   BENCH_DURATION=10 npm run bench       quick run: 10 s of measured load per route
#
#   BENCH_DURATION=30        seconds of measured load per route
#   BENCH_CONNECTIONS=50     concurrent connections (and workers of the raw-SQL baselines)
#   BENCH_WARMUP=5           seconds of unmeasured load before each measured run
#   BENCH_BASELINE_DURATION  seconds of each raw-SQL baseline (default: 10, at most BENCH_DURATION)
#   BENCH_SKIP_SETUP=1       skip scripts/setup.sh (packages, services and .env already there)
#   BENCH_DATABASE_URL       the database to use (default: DATABASE_URL's server, /liaison_bench)
#   BENCH_TRAINING_STAFF=10000, BENCH_TRAINING_MODULES=10   size of the training benchmark
#   BENCH_RACI_ACTIVITIES=300, BENCH_RACI_MEMBERS=150       size of the RACI benchmark
#   BENCH_READINESS_STAFF=10000, BENCH_READINESS_PROJECTS=200   size of the readiness benchmark
#
# A new benchmark is a new scripts/bench/NAME.bench.ts (helpers in scripts/bench/lib.ts).
# The developer's data is never touched: the benchmarks run with an explicit environment
# (DOTENV_CONFIG_PATH=/dev/null), their own database and their own queue prefix in Redis.
set -euo pipefail
LOG_PREFIX=bench
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$LIAISON_ROOT"

case "${1:-}" in
-h | --help)
  sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
esac

TMP_DIR=.tmp/bench
mkdir -p "$TMP_DIR"

# Servers a benchmark started record their pid in .tmp/bench/*.pid and stop them themselves;
# this catches one left behind by a benchmark that was killed outright (kill -9). The command
# line is checked so that a recycled pid of an unrelated program is never signalled.
stop_leftovers() {
  local pidfile pid
  for pidfile in "$TMP_DIR"/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [[ $(proc_args "$pid") == *server.* ]]; then
      say "stopping a server left by an earlier benchmark (pid $pid)"
      stop_pid "$pid"
    fi
    rm -f "$pidfile"
  done
}
trap stop_leftovers EXIT
# Ctrl-C reaches the running benchmark too (same process group): it stops its server, then we
# stop here instead of going on with the next benchmark.
trap 'stop_leftovers; say "interrupted"; exit 130' INT
trap 'stop_leftovers; exit 143' TERM HUP
stop_leftovers

for n in BENCH_DURATION BENCH_CONNECTIONS; do
  v=${!n:-}
  [[ -z $v || $v =~ ^[0-9]+$ && $v -gt 0 ]] || die "$n must be a whole number > 0 (got: $v)"
done

if [ "${BENCH_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
fi

# ── environment: explicit, never the developer's .env data ────────────────────────────────
app_db_url=$(
  load_dotenv .env
  printf '%s' "${DATABASE_URL:-}"
)
redis_url=$(
  load_dotenv .env
  printf '%s' "${REDIS_URL:-}"
)
[ -n "$app_db_url" ] || die "DATABASE_URL is not set (in the environment or .env): run npm run setup"
[ -n "$redis_url" ] || die "REDIS_URL is not set (in the environment or .env): run npm run setup"
bench_db_url=${BENCH_DATABASE_URL:-$(node -e '
  const u = new URL(process.argv[1]);
  u.pathname = "/liaison_bench";
  process.stdout.write(u.toString());
' "$app_db_url")}
bench_db=$(url_part "$bench_db_url" db)
[[ $bench_db == *bench* ]] || die "BENCH_DATABASE_URL must name a database with \"bench\" in its name (got $bench_db): the benchmarks write sessions and audit events"

export DATABASE_URL=$bench_db_url
export REDIS_URL=$redis_url
export QUEUE_PREFIX=${BENCH_QUEUE_PREFIX:-liaison-bench}
export NODE_ENV=production
# NOTE: app/server.ts, prisma.config.ts and the seed load .env through dotenv, which would
# fill in the developer's SMTP_URL (real mail!), SESSION_SECRET, APP_URL… Pointing dotenv at
# an empty file keeps the run hermetic; the benchmarks pass everything the server needs.
export DOTENV_CONFIG_PATH=/dev/null
unset SESSION_SECRET APP_URL PORT SMTP_URL MAIL_FROM LOG_LEVEL

# Runs a step with its output in a log; shows the log's end and stops when it fails.
logged() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 || {
    tail -n 40 "$log" >&2
    die "failed: $* (log: $log)"
  }
}

# ── database ──────────────────────────────────────────────────────────────────────────────
logged "$TMP_DIR/ensure-db.log" node scripts/ensure-db.mjs
logged "$TMP_DIR/migrate.log" node scripts/prisma.mjs migrate deploy
# The seed keeps what exists, so re-runs only add each run's session and login audit event.
# Its getEnv() wants a full environment; nothing it sends goes anywhere (no SMTP_URL).
random_secret=$(node -p 'require("crypto").randomBytes(32).toString("hex")')
logged "$TMP_DIR/seed.log" env SESSION_SECRET="$random_secret" APP_URL=http://127.0.0.1:3000 LOG_LEVEL=warn \
  npx tsx prisma/seed.ts
say "database $(redact_url "$DATABASE_URL"): migrated and seeded ($(tail -n 1 "$TMP_DIR/seed.log"))"

# ── build ─────────────────────────────────────────────────────────────────────────────────
# Rebuilt when build/ is missing or any source it is made of is newer (tests excluded).
stale=
if [ ! -f build/index.js ] || [ ! -d public/build ]; then
  stale="build/ is missing"
else
  newer=$(find app remix.config.js tailwind.config.ts -newer build/index.js -type f \
    ! -name '*.test.ts' ! -name '*.test.tsx' -print -quit 2>/dev/null || true)
  [ -n "$newer" ] && stale="$newer is newer than build/"
fi
if [ -n "$stale" ]; then
  say "building the app ($stale; log $TMP_DIR/build.log)"
  logged "$TMP_DIR/build.log" env NODE_ENV=production npm run --silent build
else
  say "build/ is up to date"
fi

# ── the benchmarks ────────────────────────────────────────────────────────────────────────
shopt -s nullglob
files=()
for f in scripts/bench/*.bench.ts; do
  if [ $# -eq 0 ]; then
    files+=("$f")
  else
    for want in "$@"; do
      if [[ $(basename "$f") == *"$want"* ]]; then
        files+=("$f")
        break
      fi
    done
  fi
done
[ ${#files[@]} -gt 0 ] || die "no benchmark matches: $* (files: $(cd scripts/bench && echo *.bench.ts))"

say "running ${files[*]} (BENCH_DURATION=${BENCH_DURATION:-30} s, BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-50})"
failed=()
for f in "${files[@]}"; do
  echo
  say "── $f"
  npx tsx "$f" || failed+=("$f")
done

echo
if [ ${#failed[@]} -gt 0 ]; then
  die "could not run: ${failed[*]} (figures above are from the others)"
fi
say "done (figures, not pass/fail: compare them with the goals printed above)"
