#!/usr/bin/env bash
# Prepares a server for Palaver releases: the unprivileged `pocketbase` user, /opt/palaver with the
# release switcher, the data directory, the systemd units (the server, and Litestream's continuous
# backup) with their configuration and environment files. Safe to run again: it changes only what
# differs, and never overwrites the operator's /etc/palaver/palaver.env or litestream.env.
#
# Runs as root on the server (deploy.sh runs it on every deploy, from the release being deployed).
#   install.sh [--domain chat.example.com] [--prefix DIR] [--owner UID:GID]
# --prefix installs into a scratch root instead of / (for a rehearsal): no user is created and
# systemctl is not called; --owner then says who owns the data directory (default: left as it is;
# on a real server: pocketbase).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix=""
domain=""
owner=""

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --domain) domain=${2-}; shift 2 ;;
    --owner) owner=${2:?--owner needs UID:GID}; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || die "run as root (e.g. with sudo): it creates a system user and installs a systemd unit"
for file in release.sh palaver.service litestream.service litestream.yml; do
  [ -f "$here/$file" ] || die "$here/$file is missing: run install.sh from a release (or backend/deploy) that has it"
done
if [ -n "$prefix" ]; then
  prefix=$(cd "$prefix" && pwd) || die "--prefix $prefix is not a directory"
fi

opt="$prefix/opt/palaver"
data="$prefix/var/lib/palaver"
etc="$prefix/etc/palaver"
units="$prefix/etc/systemd/system"

# The service account: no login, no password, home on the data volume.
if [ -z "$prefix" ]; then
  if ! getent passwd pocketbase >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/palaver --no-create-home --shell /usr/sbin/nologin pocketbase
    say "created the system user pocketbase"
  fi
  owner=${owner:-pocketbase:pocketbase}
fi

install -d -m 0755 "$opt" "$opt/releases"
install -m 0755 "$here/release.sh" "$opt/release.sh"
# The data directory may be the mount point of the block-storage volume (cloud-init mounts it first).
install -d -m 0750 "$data"
install -d -m 0750 "$data/pb_data" "$data/litestream"
# In a scratch root without --owner, whoever owns the data already keeps it.
[ -n "$owner" ] && chown "$owner" "$data" "$data/pb_data" "$data/litestream"

install -d -m 0755 "$etc" "$units"
if [ ! -f "$etc/palaver.env" ]; then
  umask 027
  cat >"$etc/palaver.env" <<EOF
# Read by palaver.service. Change the domain here, then: systemctl restart palaver
PALAVER_DOMAIN=$domain
# Extra 'pocketbase serve' arguments (none are needed in production).
PALAVER_SERVE_ARGS=
# What release.sh polls after a restart before it keeps a release.
PALAVER_HEALTH_URL=https://${domain:-localhost}/api/health
EOF
  [ -n "$owner" ] && chown "root:${owner#*:}" "$etc/palaver.env"
  say "wrote $etc/palaver.env${domain:+ for $domain}"
elif [ -n "$domain" ] && ! grep -qx "PALAVER_DOMAIN=$domain" "$etc/palaver.env"; then
  say "note: $etc/palaver.env names another domain than --domain $domain; left as it is"
fi

# Litestream's replica and keys: root's alone (systemd reads it before it drops to the service user).
if [ ! -f "$etc/litestream.env" ]; then
  (
    umask 077
    cat >"$etc/litestream.env" <<'EOF'
# Continuous backup of the database (litestream.service): fill in as deploy/litestream.env.example
# says, then: systemctl enable --now litestream
LITESTREAM_REPLICA_URL=
LITESTREAM_S3_ENDPOINT=
LITESTREAM_S3_REGION=
LITESTREAM_ACCESS_KEY_ID=
LITESTREAM_SECRET_ACCESS_KEY=
EOF
  )
  say "wrote $etc/litestream.env (empty: continuous backup is off until it names a replica)"
fi

unit_changed=no
litestream_changed=no
for file in palaver.service litestream.service; do
  if ! cmp -s "$here/$file" "$units/$file"; then
    install -m 0644 "$here/$file" "$units/$file"
    unit_changed=yes
    [ "$file" = litestream.service ] && litestream_changed=yes
    say "installed $units/$file"
  fi
done
if ! cmp -s "$here/litestream.yml" "$etc/litestream.yml"; then
  install -m 0644 "$here/litestream.yml" "$etc/litestream.yml"
  litestream_changed=yes
  say "installed $etc/litestream.yml"
fi
replica=$(sed -n 's/^LITESTREAM_REPLICA_URL=//p' "$etc/litestream.env" | tail -n 1)

if [ -z "$prefix" ]; then
  [ "$unit_changed" = yes ] && systemctl daemon-reload
  systemctl is-enabled --quiet palaver.service || systemctl enable palaver.service
  if [ -n "$replica" ]; then
    systemctl is-enabled --quiet litestream.service || systemctl enable litestream.service
    # A changed unit or configuration takes effect now; otherwise a stopped replication is started.
    if [ "$litestream_changed" = yes ]; then systemctl restart litestream.service; else systemctl start litestream.service; fi
  fi
fi
[ -n "$replica" ] || say "continuous backup is off: $etc/litestream.env names no replica (see deploy/README.md)"
say "ready: releases in $opt/releases, data in $data/pb_data"
