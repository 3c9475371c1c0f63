#!/usr/bin/env bash
# Runs Liaison with demo data on this machine: setup, build, seed, then the web server and the
# job worker until Ctrl-C. Safe to re-run: a demo still running from an earlier run is stopped.
#
#   npm run demo                     run in the foreground; Ctrl-C stops everything
#   DEMO_NO_WAIT=1 npm run demo      start, print the banner, exit and leave it running
#   bash scripts/demo.sh --stop      stop a demo left running
set -euo pipefail
LOG_PREFIX=demo
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LIAISON_ROOT"
mkdir -p .tmp

WEB_LOG=.tmp/web.log
WORKER_LOG=.tmp/worker.log

# Stops the processes an earlier demo recorded in .tmp/*.pid. The command line is checked
# first so that a recycled pid of some unrelated program is never signalled.
stop_previous() {
  local name pidfile pid args
  for name in web worker; do
    pidfile=.tmp/$name.pid
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    args=$(proc_args "$pid")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
      [[ $args == *build/server.js* || $args == *app/server.ts* || $args == *jobs/worker.ts* ]]; then
      say "stopping the $name of an earlier demo (pid $pid)"
      stop_pid "$pid"
    fi
    rm -f "$pidfile"
  done
}

case "${1:-}" in
--stop)
  stop_previous
  say "stopped"
  exit 0
  ;;
"") ;;
*) die "unknown argument: $1 (usage: scripts/demo.sh [--stop])" ;;
esac

bash scripts/setup.sh
load_dotenv .env
PORT=${PORT:-3000}
export PORT

stop_previous
if tcp_open 127.0.0.1 "$PORT"; then
  die "port $PORT is in use by another program (not a demo started from here). Stop it, or set PORT and APP_URL in .env."
fi
app_port=$(node -p 'const u = new URL(process.argv[1]); u.port || (u.protocol === "https:" ? 443 : 80)' "${APP_URL:-http://127.0.0.1:$PORT}")
if [ "$app_port" != "$PORT" ]; then
  warn "APP_URL ($APP_URL) does not use PORT $PORT: forms will be refused by the CSRF check unless a proxy maps one to the other"
fi

# Shows the end of a log and stops, for every failure before the banner.
fail_with_log() {
  local log=$1
  shift
  printf '%s: ERROR: %s\n' "$LOG_PREFIX" "$*" >&2
  if [ -f "$log" ]; then
    printf -- '--- last lines of %s ---\n' "$log" >&2
    tail -n 40 "$log" >&2
    printf -- '---\n' >&2
  fi
  cleanup
  exit 1
}

children=()
cleanup() {
  local pid
  trap - INT TERM HUP
  for pid in "${children[@]}"; do
    kill -0 "$pid" 2>/dev/null && stop_pid "$pid"
  done
  children=()
  rm -f .tmp/web.pid .tmp/worker.pid
  return 0
}

say "building the app (remix build; log .tmp/build.log)"
npm run --silent build >.tmp/build.log 2>&1 || fail_with_log .tmp/build.log "the build failed"

if [ -f prisma/seed.ts ]; then
  say "loading demo data (prisma/seed.ts; log .tmp/seed.log)"
  npx tsx prisma/seed.ts >.tmp/seed.log 2>&1 || fail_with_log .tmp/seed.log "the seed failed"
else
  warn "prisma/seed.ts not found: starting without demo data"
fi

trap 'say "stopping…"; cleanup; exit 130' INT
trap 'say "stopping…"; cleanup; exit 143' TERM HUP

# Started with `node --import tsx` rather than `npx tsx`: one process per service, so the pid
# we record is the one that gets SIGTERM and shuts down gracefully (no npx/tsx wrappers in
# between to forward or swallow signals). setsid gives each its own session: Ctrl-C reaches
# only this script, which then stops them in order; and with DEMO_NO_WAIT they outlive it.
start() {
  local name=$1 log=$2
  shift 2
  : >"$log"
  # TypeScript entry points run through tsx; the bundled server (build/server.js) runs bare.
  local loader=(--enable-source-maps)
  [[ $1 == *.ts ]] && loader=(--import tsx)
  if command -v setsid >/dev/null 2>&1; then
    setsid node "${loader[@]}" "$@" >>"$log" 2>&1 </dev/null &
  else
    nohup node "${loader[@]}" "$@" >>"$log" 2>&1 </dev/null &
  fi
  children+=("$!")
  echo "$!" >".tmp/$name.pid"
}

start web "$WEB_LOG" build/server.js
web_pid=${children[0]}
worker_pid=
if [ -f jobs/worker.ts ]; then
  start worker "$WORKER_LOG" jobs/worker.ts
  worker_pid=${children[1]}
else
  warn "jobs/worker.ts not found: starting without the worker (no emails, engine polling or alerts)"
fi

# Ready when /healthz answers 200; give up after 60 s or as soon as the server dies.
healthz=http://127.0.0.1:$PORT/healthz
http_status() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.stdout.write(String(r.status)), () => {})' "$1"
  fi
}
say "starting the web server and the worker; waiting for $healthz"
deadline=$((SECONDS + 60))
# Sets $ended to "exit status N" or "killed by SIGX" for a child that has stopped. (Not a
# $(…) function: `wait` only works in the shell that started the child.)
how_it_ended() {
  local st=0
  wait "$1" 2>/dev/null || st=$?
  if [ "$st" -gt 128 ]; then ended="killed by SIG$(kill -l "$((st - 128))")"; else ended="exit status $st"; fi
}
until [ "$(http_status "$healthz")" = 200 ]; do
  if ! kill -0 "$web_pid" 2>/dev/null; then
    how_it_ended "$web_pid"
    fail_with_log "$WEB_LOG" "the web server stopped during start-up ($ended)"
  fi
  if [ -n "$worker_pid" ] && ! kill -0 "$worker_pid" 2>/dev/null; then
    how_it_ended "$worker_pid"
    fail_with_log "$WORKER_LOG" "the worker stopped during start-up ($ended)"
  fi
  [ "$SECONDS" -lt "$deadline" ] ||
    fail_with_log "$WEB_LOG" "$healthz did not answer 200 within 60 s (last status: $(http_status "$healthz"))"
  sleep 1
done

url=${APP_URL:-http://127.0.0.1:$PORT}
line='────────────────────────────────────────────────────────────────────────'
echo
echo "$line"
echo "  Liaison is running:  $url"
echo
if [ -s .tmp/demo-logins.txt ]; then
  echo "  Demo logins (role, email, password):"
  sed 's/^/    /' .tmp/demo-logins.txt
else
  echo "  (no demo logins: .tmp/demo-logins.txt was not written by the seed)"
fi
echo
echo "  Logs:  $WEB_LOG  (web)   $WORKER_LOG  (worker)"
if [ -n "${DEMO_NO_WAIT:-}" ] && [ "${DEMO_NO_WAIT}" != 0 ]; then
  echo "  Left running (pids $(cat .tmp/*.pid | tr '\n' ' ')). Stop with:  bash scripts/demo.sh --stop"
  echo "$line"
  trap - INT TERM HUP
  exit 0
fi
echo "  Ctrl-C to stop."
echo "$line"

# Wait for Ctrl-C (the trap) or for either process to die on its own; a crash stops the other.
set +e
wait -n "${children[@]}"
status=$?
set -e
for pid in "${children[@]}"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    if [ "$pid" = "$web_pid" ]; then
      fail_with_log "$WEB_LOG" "the web server (pid $pid) exited unexpectedly (status $status)"
    fi
    fail_with_log "$WORKER_LOG" "the worker (pid $pid) exited unexpectedly (status $status)"
  fi
done
cleanup
exit "$status"
