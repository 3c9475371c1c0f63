# Helpers shared by scripts/setup.sh, demo.sh and test.sh. Sourced, never run on its own.
# Each script sets LOG_PREFIX ("setup", "demo", "test") before using say/warn/die.

LIAISON_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_PREFIX=${LOG_PREFIX:-liaison}

# dotenv 17 prints a "injecting env" banner on every start of every process; it only hides
# what matters in our output.
export DOTENV_CONFIG_QUIET=true

say() { printf '%s: %s\n' "$LOG_PREFIX" "$*"; }
warn() { printf '%s: WARNING: %s\n' "$LOG_PREFIX" "$*" >&2; }
die() {
  printf '%s: ERROR: %s\n' "$LOG_PREFIX" "$*" >&2
  exit 1
}

# Loads KEY=value lines from a .env file with dotenv's rules, so the shell sees what the app
# will see: variables already in the environment win; quotes are stripped; an unquoted value
# ends at " #". NOTE: we never `source` the file — `MAIL_FROM=Liaison <x@y>` unquoted would
# be a shell redirection.
load_dotenv() {
  local file=$1 line key val
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=(.*)$ ]] || continue
    key=${BASH_REMATCH[2]}
    val=${BASH_REMATCH[3]}
    val=${val#"${val%%[![:space:]]*}"} # trim leading blanks
    if [[ $val =~ ^\"(.*)\"[[:space:]]*(#.*)?$ ]]; then
      val=${BASH_REMATCH[1]}
    elif [[ $val =~ ^\'(.*)\'[[:space:]]*(#.*)?$ ]]; then
      val=${BASH_REMATCH[1]}
    else
      val=${val%%[[:space:]]#*}
      val=${val%"${val##*[![:space:]]}"} # trim trailing blanks
    fi
    if [ -z "${!key+x}" ]; then export "$key=$val"; fi
  done <"$file"
}

# Runs a command as root: directly when we are root, through sudo when it exists.
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "this step needs root and sudo is not installed: run as root, or do it yourself: $*"
  fi
}

# Runs a command as the postgres OS user (peer authentication over the local socket), from /
# because that user usually cannot read the project directory.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  elif command -v sudo >/dev/null 2>&1; then
    (cd / && sudo -u postgres "$@")
  else
    die "this step must run as the postgres user and sudo is not installed: run setup as root"
  fi
}

_apt_updated=
apt_install() {
  command -v apt-get >/dev/null 2>&1 ||
    die "cannot install $* automatically (no apt-get here): install it with your package manager and re-run"
  say "installing Debian package(s): $* (apt-get, needs root)"
  if [ -z "$_apt_updated" ]; then
    as_root apt-get update -qq >/dev/null
    _apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# url_part URL host|port|user|password|db — parsed by Node's WHATWG URL, so percent-encoded
# passwords and IPv6 hosts come out right.
url_part() {
  node -e '
    const u = new URL(process.argv[1]);
    const v = {
      host: u.hostname.replace(/^\[|\]$/g, ""),
      port: u.port,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      db: decodeURIComponent(u.pathname.slice(1)),
    }[process.argv[2]];
    process.stdout.write(v ?? "");
  ' "$1" "$2"
}

# The URL without its password, for messages.
redact_url() {
  node -e 'const u = new URL(process.argv[1]); if (u.password) u.password = "***"; process.stdout.write(u.toString())' "$1"
}

is_loopback() {
  case "$1" in
  localhost | 127.* | ::1) return 0 ;;
  *) return 1 ;;
  esac
}

# True when something accepts TCP connections at host:port (bash's /dev/tcp, no extra tools).
tcp_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# The command line of a live process, or nothing.
proc_args() {
  if [ -r "/proc/$1/cmdline" ]; then
    tr '\0' ' ' <"/proc/$1/cmdline"
  else
    ps -o args= -p "$1" 2>/dev/null || true
  fi
}

# Sends SIGTERM and waits up to $2 seconds (default 15) for the process to go; then SIGKILL.
# Works for children and for processes started by an earlier run.
stop_pid() {
  local pid=$1 limit=${2:-15} i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < limit * 4; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "pid $pid did not stop within ${limit}s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
