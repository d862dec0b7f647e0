# shellcheck shell=bash
# admin.sh recover: the database back from Litestream's continuous replica (litestream.service), to its
# latest state or to a moment, on the server itself, as root. Sourced by admin.sh; uses its die and say.
#
#   admin.sh recover [--at TIME]   TIME in UTC as RFC 3339, e.g. 2026-12-02T14:05:00Z (default: latest)
#
# 1. restores into pb_data/data.db.recovering beside the database (the server still runs meanwhile;
#    an unreachable replica or a failed integrity check stops here, with nothing changed),
# 2. stops the server and Litestream, keeps the database it replaces (if any) in
#    /var/lib/palaver/recovered-from/<time>/, and drops Litestream's local state of it,
# 3. puts the restored database in place, starts the server, waits for /api/health, starts Litestream
#    (which sees a database behind its replica and uploads a fresh snapshot of it: replication goes on
#    from the restored state, and the replica's earlier history stays restorable).
# Environment, for a rehearsal: PALAVER_PREFIX (a scratch root), PALAVER_SERVICE_CMD (default
# systemctl, called as `<cmd> stop|start <unit>`), PALAVER_RUN_AS_SERVICE (how a command is run as the
# service user: default `runuser -u pocketbase --`; it sees the server's paths), PALAVER_SERVICE_OWNER
# (default pocketbase:pocketbase), PALAVER_HEALTH_URL and PALAVER_HEALTH_TIMEOUT as release.sh.

recover() {
  local at=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --at) at=${2:?--at needs a time, e.g. 2026-12-02T14:05:00Z}; shift 2 ;;
      latest) shift ;;
      *) die "usage: admin.sh recover [--at 2026-12-02T14:05:00Z] (on the server, as root)" ;;
    esac
  done
  if [ -n "$at" ]; then
    [[ "$at" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]] ||
      die "--at takes a time as 2026-12-02T14:05:00Z (RFC 3339), not '$at'"
  fi
  [ "$(id -u)" -eq 0 ] || die "recover runs on the server as root (sudo $0 recover): it stops and starts the services"

  local prefix=${PALAVER_PREFIX:-}
  local etc="$prefix/etc/palaver" volume="$prefix/var/lib/palaver"
  local service_cmd=${PALAVER_SERVICE_CMD:-systemctl}
  local run_as=${PALAVER_RUN_AS_SERVICE:-runuser -u pocketbase --}
  local owner=${PALAVER_SERVICE_OWNER:-pocketbase:pocketbase}
  # The paths as the services see them (the same as the server's, except in a rehearsal's chroot).
  local db=/var/lib/palaver/pb_data/data.db litestream=/opt/palaver/current/bin/litestream
  local config=/etc/palaver/litestream.yml
  [ -f "$etc/litestream.env" ] || die "$etc/litestream.env is missing: run install.sh (deploy.sh) first"
  [ -x "$prefix$litestream" ] || die "$prefix$litestream is missing: deploy a release first (deploy.sh)"

  # The replica's address and keys reach Litestream in its environment, as systemd gives them to the
  # service: never on its command line.
  set -a
  # shellcheck disable=SC1091
  . "$etc/litestream.env"
  set +a
  [ -n "${LITESTREAM_REPLICA_URL:-}" ] || die "$etc/litestream.env names no replica (LITESTREAM_REPLICA_URL): there is nothing to recover from"

  install -d -m 0750 -o "${owner%:*}" -g "${owner#*:}" "$volume" "$volume/pb_data" "$volume/litestream"
  local recovering="$db.recovering"
  rm -f "$prefix$recovering" "$prefix$recovering"-*
  say "restoring $db from $LITESTREAM_REPLICA_URL, ${at:+as it was at $at}${at:-at its latest}"
  local -a args=(restore -config "$config" -o "$recovering" -integrity-check quick)
  [ -n "$at" ] && args+=(-timestamp "$at")
  # shellcheck disable=SC2086 # $run_as is a command and its arguments
  $run_as "$litestream" "${args[@]}" "$db" ||
    die "the restore failed (see above); nothing was changed, the server runs on as it was"
  [ -s "$prefix$recovering" ] || die "the replica has nothing to restore${at:+ at $at}; nothing was changed"

  say "stopping the server and Litestream"
  $service_cmd stop litestream.service || true
  $service_cmd stop palaver.service || die "could not stop palaver.service"
  local kept="" stamp
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  for file in "$db" "$db-wal" "$db-shm"; do
    if [ -e "$prefix$file" ]; then
      kept="$volume/recovered-from/$stamp"
      install -d -m 0750 "$kept"
      mv "$prefix$file" "$kept/"
    fi
  done
  [ -n "$kept" ] && say "the database it replaces is kept in $kept"
  # Litestream's local state describes the database that was there; it starts afresh from the restored one.
  rm -rf "$volume/litestream/data.db-litestream"
  mv "$prefix$recovering" "$prefix$db"
  chown "$owner" "$prefix$db"

  $service_cmd start palaver.service || die "could not start palaver.service"
  local health=${PALAVER_HEALTH_URL:-} deadline=$((SECONDS + ${PALAVER_HEALTH_TIMEOUT:-60}))
  [ -n "$health" ] || health=$(sed -n 's/^PALAVER_HEALTH_URL=//p' "$etc/palaver.env" 2>/dev/null | tail -n 1)
  if [ -n "$health" ]; then
    until curl -fsS --max-time 3 -o /dev/null "$health" 2>/dev/null; do
      [ "$SECONDS" -lt "$deadline" ] || die "the server did not answer $health after the restore; see: journalctl -u palaver -n 100 (Litestream is stopped)"
      sleep 0.5
    done
  fi
  $service_cmd start litestream.service || die "the server is up with the restored database, but Litestream did not start: systemctl status litestream"
  local state="at the replica's latest"
  [ -n "$at" ] && state="as it was at $at"
  say "recovered: the server runs on the database $state, and replication goes on"
}
