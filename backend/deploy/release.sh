#!/usr/bin/env bash
# Switches the server between releases in /opt/palaver/releases, keeping the previous one: installed
# to /opt/palaver/release.sh by install.sh, run as root by deploy.sh.
#   release.sh activate VERSION   stop the service, copy the database aside, switch to VERSION, start,
#                                 wait for /api/health; if it does not come up, put the database copy
#                                 back (undoing the new release's migrations), switch back to the
#                                 release before it and start that (exit 1)
#   release.sh rollback           back to the previous release
#   release.sh status             the current and previous releases, and every release kept
#   release.sh prune [KEEP]       delete old releases, keeping the newest KEEP (default 3) and the
#                                 current and previous ones
# Environment: PALAVER_HEALTH_URL and PALAVER_HEALTH_TIMEOUT (seconds, default 60) override
# /etc/palaver/palaver.env; PALAVER_SERVICE_CMD (default `systemctl`, called as `<cmd> stop|start
# palaver.service`); PALAVER_PREFIX, a scratch root for a rehearsal.
set -euo pipefail

prefix=${PALAVER_PREFIX:-}
opt="$prefix/opt/palaver"
env_file="$prefix/etc/palaver/palaver.env"
service_cmd=${PALAVER_SERVICE_CMD:-systemctl}
data="$prefix/var/lib/palaver/pb_data"
# On the data volume, next to pb_data (so PocketBase's own backups do not carry them along).
snapshots="$prefix/var/lib/palaver/snapshots"
timeout=${PALAVER_HEALTH_TIMEOUT:-60}

die() { echo "release.sh: $*" >&2; exit 1; }
say() { echo "release.sh: $*"; }

health_url() {
  if [ -n "${PALAVER_HEALTH_URL:-}" ]; then
    echo "$PALAVER_HEALTH_URL"
  elif [ -f "$env_file" ]; then
    sed -n 's/^PALAVER_HEALTH_URL=//p' "$env_file" | tail -n 1
  fi
}

release_of() { # the release a link points at, or nothing
  local target
  target=$(readlink "$opt/$1" 2>/dev/null) || return 0
  basename "$target"
}

point() { # point LINK at releases/VERSION atomically
  ln -sfn "releases/$2" "$opt/.$1.new"
  mv -Tf "$opt/.$1.new" "$opt/$1"
}

service() { # stop|start
  say "$1: $service_cmd $1 palaver.service"
  # shellcheck disable=SC2086 # the command is given as words, like a shell would
  $service_cmd "$1" palaver.service
}

# The database files, copied while the service is stopped (so consistent), before a release's
# migrations can change them. Prints the copy's folder, or nothing when there is no database yet.
take_snapshot() {
  local dir="$snapshots/before-$1" file
  [ -f "$data/data.db" ] || return 0
  rm -rf "$dir"
  install -d -m 0700 "$dir"
  for file in data.db data.db-wal auxiliary.db auxiliary.db-wal; do
    if [ -f "$data/$file" ]; then cp -p "$data/$file" "$dir/"; fi
  done
  chown --reference="$data" "$snapshots" "$dir"
  echo "$dir"
}

restore_snapshot() {
  local dir=$1 file
  # A write-ahead log left by the failed release holds its changes: it goes too.
  rm -f "$data"/data.db-wal "$data"/data.db-shm "$data"/auxiliary.db-wal "$data"/auxiliary.db-shm
  for file in "$dir"/*; do cp -p "$file" "$data/"; done
  say "database restored from $dir"
}

keep_only_snapshot() {
  local keep=$1 dir
  for dir in "$snapshots"/before-*; do
    [ -d "$dir" ] && [ "$dir" != "$keep" ] && rm -rf "$dir"
  done
  return 0
}

healthy() {
  local url deadline
  url=$(health_url)
  deadline=$((SECONDS + timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if curl -fsS --max-time 3 -o /dev/null "$url" 2>/dev/null; then
      return 0
    fi
    sleep 1
  done
  echo "release.sh: $url did not answer within ${timeout}s" >&2
  return 1
}

activate() {
  local version=$1 before snapshot
  [ -x "$opt/releases/$version/bin/pocketbase" ] || die "release $version is not in $opt/releases (deploy it first)"
  [ -n "$(health_url)" ] || die "no health URL: set PALAVER_HEALTH_URL in $env_file (nothing was changed)"
  before=$(release_of current)
  service stop || true
  snapshot=$(take_snapshot "$version")
  [ -n "$snapshot" ] && say "database copied to $snapshot"
  if [ "$before" = "$version" ]; then
    say "$version is already the current release; starting it again"
  else
    point current "$version"
    [ -n "$before" ] && point previous "$before"
    say "current release: $version${before:+ (previous: $before)}"
  fi
  if service start && healthy; then
    say "$version is up"
    keep_only_snapshot "$snapshot"
    prune 3
    return 0
  fi
  if [ -z "$before" ] || [ "$before" = "$version" ]; then
    die "$version did not come up and there is no earlier release to go back to${snapshot:+ (the database before it is in $snapshot)}; see: journalctl -u palaver -n 100"
  fi
  echo "release.sh: $version did not come up; rolling back to $before (see: journalctl -u palaver -n 100)" >&2
  service stop || true
  # Undo whatever its migrations did: the release before it may not understand the new schema.
  [ -n "$snapshot" ] && restore_snapshot "$snapshot"
  point current "$before"
  rm -f "$opt/previous"
  if service start && healthy; then
    echo "release.sh: rolled back to $before, which is up, with the database as it was before $version; $version stays in $opt/releases for a look" >&2
  else
    echo "release.sh: rolled back to $before, but it is not up either: the server needs a look" >&2
  fi
  exit 1
}

rollback() {
  local to
  to=$(release_of previous)
  [ -n "$to" ] || die "there is no previous release to roll back to"
  activate "$to"
}

prune() {
  local keep=${1:-3} current previous release
  current=$(release_of current)
  previous=$(release_of previous)
  # Newest first by the time the release was unpacked; the current and previous ones always stay.
  # shellcheck disable=SC2012 # release names are ours: no newlines
  ls -1t "$opt/releases" 2>/dev/null | tail -n +"$((keep + 1))" | while read -r release; do
    [ "$release" = "$current" ] || [ "$release" = "$previous" ] && continue
    rm -rf "${opt:?}/releases/${release:?}"
    say "removed old release $release"
  done
}

status() {
  echo "current:  $(release_of current)"
  echo "previous: $(release_of previous)"
  echo "releases:"
  # shellcheck disable=SC2012
  ls -1t "$opt/releases" 2>/dev/null | sed 's/^/  /'
}

case "${1:-}" in
  activate) activate "${2:?usage: release.sh activate VERSION}" ;;
  rollback) rollback ;;
  status) status ;;
  prune) prune "${2:-3}" ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
