#!/usr/bin/env bash
# A stand-in for systemd in a rehearsal (this machine and CI have no systemd running): runs the
# installed unit's ExecStart, with its EnvironmentFile, inside the scratch root install.sh made
# (chroot, a private /proc, an unprivileged user), so the release layout, the unit's command line
# and the data directory are exercised as installed. The unit's sandboxing options are not applied
# here; `systemd-analyze verify` checks them.
#   service.sh ROOT start|stop|restart|status     (as root; SERVICE_USER=UID:GID, default 65534:65534)
set -euo pipefail

root=$(cd "${1:?usage: service.sh ROOT start|stop|restart|status}" && pwd)
action=${2:?usage: service.sh ROOT start|stop|restart|status}
user=${SERVICE_USER:-65534:65534}
unit="$root/etc/systemd/system/palaver.service"
pidfile="$root/run/palaver.pid"
logfile="$root/var/log/palaver.log"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
  running && { echo "service.sh: already running (pid $(cat "$pidfile"))"; return 0; }
  local exec_start
  exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
  [ -n "$exec_start" ] || { echo "service.sh: no ExecStart in $unit" >&2; exit 1; }
  mkdir -p "$root/run" "$root/var/log" "$root/proc"
  # The unit's own word splitting: $VAR becomes zero or more words, as systemd does.
  set -a
  # shellcheck disable=SC1091
  . "$root/etc/palaver/palaver.env"
  set +a
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
  # shellcheck disable=SC2016 # expanded by the inner sh
  setsid unshare --mount --fork sh -c 'mount -t proc proc "$1/proc" && echo $$ > "$2" && root=$1 && user=$3 && shift 3 && exec chroot --userspec="$user" "$root" "$@"' \
    sh "$root" "$pidfile" "$user" "${expanded[@]}" >>"$logfile" 2>&1 </dev/null &
  for _ in $(seq 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
  echo "service.sh: started ${expanded[*]} (pid $(cat "$pidfile"))"
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
  status) if running; then echo "running (pid $(cat "$pidfile"))"; else echo "stopped"; exit 3; fi ;;
  *) echo "service.sh: unknown action '$action'" >&2; exit 2 ;;
esac
