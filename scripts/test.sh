#!/usr/bin/env bash
# The one test command (`npm test`, and CI through .ci/run): setup, build, typecheck, lint,
# unit + integration tests, browser tests. Every step runs even when an earlier one failed (except
# the browser tests, which need the build), and the exit status is non-zero if any failed.
#
#   TEST_ONLY=unit   typecheck + lint + unit/integration tests only
#   TEST_ONLY=e2e    build + browser tests only
#   TEST_DATABASE_URL=postgresql://…/x_test   use this database instead of <DATABASE_URL's server>/liaison_test
#   npm test -- FILE…   pass the files (or other vitest arguments) to vitest: with TEST_ONLY=unit
#                       only those unit tests run (and only those of them that are files are
#                       linted), with TEST_ONLY=e2e only those browser tests
set -euo pipefail
LOG_PREFIX=test
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$LIAISON_ROOT"

only=${TEST_ONLY:-all}
case "$only" in
all | unit | e2e) ;;
*) die "TEST_ONLY must be unit or e2e (got: $only)" ;;
esac

# The browser (chromium) is only needed by the e2e half.
if [ "$only" = unit ]; then
  bash scripts/setup.sh
else
  bash scripts/setup.sh --test
fi

# The tests run on the same servers as the app but never on its data: their own database
# (dropped and recreated by tests/global-setup.ts, which refuses names without "test") and
# their own queue prefix in Redis (the pid keeps two runs on one machine apart).
app_db_url=$(
  load_dotenv .env
  printf '%s' "$DATABASE_URL"
)
redis_url=$(
  load_dotenv .env
  printf '%s' "$REDIS_URL"
)
test_db_url=${TEST_DATABASE_URL:-$(node -e '
  const u = new URL(process.argv[1]);
  u.pathname = "/liaison_test";
  process.stdout.write(u.toString());
' "$app_db_url")}

export NODE_ENV=test
export DATABASE_URL=$test_db_url
export REDIS_URL=$redis_url
export QUEUE_PREFIX=liaison-test-$$
# NOTE: app/server.ts, jobs/worker.ts and prisma.config.ts load .env through dotenv, which
# would fill in the developer's SMTP_URL (real mail!), SESSION_SECRET, APP_URL… in processes
# the tests start. Pointing dotenv at an empty file keeps the run hermetic: what is not set
# above comes from tests/test-env.ts.
export DOTENV_CONFIG_PATH=/dev/null
unset SESSION_SECRET APP_URL PORT SMTP_URL MAIL_FROM LOG_LEVEL LIAISON_TEST_QUEUE_BASE
say "database $(redact_url "$DATABASE_URL"), queue prefix $QUEUE_PREFIX"

failed=()
passed=()
# step NAME COMMAND… — runs one step, records its outcome, never stops the script.
step() {
  local name=$1
  shift
  printf '\n%s: ── %s: %s\n' "$LOG_PREFIX" "$name" "$*"
  local started=$SECONDS
  if "$@"; then
    passed+=("$name")
    say "$name passed ($((SECONDS - started)) s)"
  else
    failed+=("$name")
    say "$name FAILED ($((SECONDS - started)) s)"
  fi
}

build_ok=1
if [ "$only" != unit ]; then
  # A production build, as in the demo and in real use (remix would otherwise build in
  # NODE_ENV=test mode, with React's development bundle).
  step build env NODE_ENV=production npm run --silent build
  if [[ " ${failed[*]-} " == *" build "* ]]; then build_ok=; fi
fi

if [ "$only" != e2e ]; then
  step typecheck npx tsc --noEmit
  # The layer rules (eslint.config.js) over the whole tree, or over the files named.
  lint_files=()
  for a in "$@"; do if [ -e "$a" ]; then lint_files+=("$a"); fi; done
  if [ "$#" -eq 0 ]; then
    step lint npx eslint --max-warnings 0 .
  elif [ "${#lint_files[@]}" -gt 0 ]; then
    step lint npx eslint --max-warnings 0 --no-warn-ignored "${lint_files[@]}"
  fi
  step unit npx vitest run "$@"
fi

if [ "$only" != unit ]; then
  if [ -z "$build_ok" ]; then
    failed+=("e2e")
    say "e2e skipped: it needs the build"
  elif [ ! -f tests/e2e/vitest.config.ts ]; then
    failed+=("e2e")
    say "e2e FAILED: tests/e2e/vitest.config.ts does not exist"
  else
    step e2e npx vitest run --config tests/e2e/vitest.config.ts "$@"
  fi
fi

echo
if [ "${#failed[@]}" -eq 0 ]; then
  say "all steps passed: ${passed[*]}"
else
  say "FAILED: ${failed[*]}${passed[*]:+ (passed: ${passed[*]})}"
  exit 1
fi
