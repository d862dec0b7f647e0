#!/usr/bin/env bash
# A stand-in for systemd in a rehearsal (this machine and CI have no systemd running): runs the
# installed unit's ExecStart, with its EnvironmentFile, inside the scratch root install.sh made
# (chroot, an unprivileged user), so the release layout, the unit's command line and the data
# directory are exercised as installed. Of the unit's sandbox it applies what the server's own
# behaviour depends on: a private /proc mounted as ProtectProc=invisible and ProcSubset=pid mount it
# (hidepid=invisible, subset=pid), and, when SECCOMP_LAUNCHER names a built seccomp-launch
# (testing/seccomp-launch), NoNewPrivileges= and the unit's SystemCallFilter= with its
# SystemCallErrorNumber=. The rest is checked by `systemd-analyze verify` and `security`.
#   service.sh ROOT start|stop|restart|status [UNIT]   (as root; SERVICE_USER=UID:GID, default
#                                                  65534:65534; UNIT palaver.service unless named, e.g.
#                                                  litestream.service: run/NAME.pid, var/log/NAME.log)
#   service.sh ROOT run CMD ARGS...                runs CMD (a path inside ROOT) in the same sandbox, in
#                                                  the foreground: to look at the sandbox from inside
set -euo pipefail

root=$(cd "${1:?usage: service.sh ROOT start|stop|restart|status [UNIT]}" && pwd)
action=${2:?usage: service.sh ROOT start|stop|restart|status [UNIT]|run CMD...}
user=${SERVICE_USER:-65534:65534}
name=palaver
if [ "$action" != run ] && [ -n "${3:-}" ]; then
  name=${3%.service}
  [[ "$name" =~ ^[a-z0-9-]+$ ]] || { echo "service.sh: '$3' is not a unit name" >&2; exit 2; }
fi
unit="$root/etc/systemd/system/$name.service"
pidfile="$root/run/$name.pid"
logfile="$root/var/log/$name.log"

launcher=${SECCOMP_LAUNCHER:-}
# Inside ROOT, where the service user can read them.
launcher_in_root=/run/palaver-seccomp-launch
policy_in_root=/run/palaver.seccomp

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

# The launcher and the unit's policy, put where the service user can read them inside ROOT; afterwards
# $prefix is what goes before a command to run it under the filter (nothing without a launcher).
prefix=()
prepare_filter() {
  [ -n "$launcher" ] || return 0
  [ -x "$launcher" ] || { echo "service.sh: SECCOMP_LAUNCHER=$launcher is not an executable" >&2; exit 1; }
  mkdir -p "$root/run"
  install -m 0755 "$launcher" "$root$launcher_in_root"
  # Computed from the installed unit each time, so the unit as installed is what runs.
  "$launcher" policy "$unit" >"$root$policy_in_root.new" || {
    echo "service.sh: could not compute the system call policy of $unit (see above)" >&2
    exit 1
  }
  chmod 0644 "$root$policy_in_root.new"
  mv "$root$policy_in_root.new" "$root$policy_in_root"
  prefix=("$launcher_in_root" exec "$policy_in_root")
}

# sandboxed PIDFILE CMD ARGS...: CMD in a new mount namespace with its own /proc, chrooted into ROOT as
# the service user, under the filter prepare_filter set up; PIDFILE gets the pid CMD ends up with.
sandboxed() {
  local pidfile_out=$1
  shift
  mkdir -p "$root/proc"
  # shellcheck disable=SC2016 # expanded by the inner sh
  setsid --wait unshare --mount --fork sh -c 'mount -t proc -o nosuid,nodev,noexec,hidepid=invisible,subset=pid proc "$1/proc" && echo $$ > "$2" && root=$1 && user=$3 && shift 3 && exec chroot --userspec="$user" "$root" "$@"' \
    sh "$root" "$pidfile_out" "$user" "${prefix[@]}" "$@"
}

start() {
  running && { echo "service.sh: already running (pid $(cat "$pidfile"))"; return 0; }
  local exec_start
  exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
  [ -n "$exec_start" ] || { echo "service.sh: no ExecStart in $unit" >&2; exit 1; }
  mkdir -p "$root/run" "$root/var/log"
  # The unit's EnvironmentFile=, read here by root as systemd reads it, and its own word splitting:
  # $VAR becomes zero or more words, as systemd does.
  local env_file
  env_file=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$unit")
  if [ -n "$env_file" ]; then
    set -a
    # shellcheck disable=SC1090
    . "$root$env_file"
    set +a
  fi
  local -a argv
  # shellcheck disable=SC2206 # splitting is the point
  argv=($exec_start)
  local -a expanded=()
  for word in "${argv[@]}"; do
    case "$word" in
      \$*) name=${word#\$}; name=${name#\{}; name=${name%\}}
           # shellcheck disable=SC2206
           expanded+=(${!name-}) ;;
      *) expanded+=("$word") ;;
    esac
  done
  prepare_filter
  sandboxed "$pidfile" "${expanded[@]}" >>"$logfile" 2>&1 </dev/null &
  for _ in $(seq 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
  echo "service.sh: started ${prefix[*]:+${prefix[*]} }${expanded[*]} (pid $(cat "$pidfile"))"
}

stop() {
  running || { rm -f "$pidfile"; return 0; }
  local pid
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  echo "service.sh: stopped pid $pid"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  restart) stop; rm -f "$pidfile"; start ;;
  run) shift 2; prepare_filter; sandboxed /dev/null "$@" ;;
  status) if running; then echo "running (pid $(cat "$pidfile"))"; else echo "stopped"; exit 3; fi ;;
  *) echo "service.sh: unknown action '$action'" >&2; exit 2 ;;
esac
