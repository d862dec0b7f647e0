#!/usr/bin/env bash
# Builds the Palaver server and puts it live on a server: the binary, migrations and hooks become a new
# release in /opt/palaver/releases, the previous release is kept, the service restarts, and if
# /api/health does not answer the server goes back to the previous release by itself.
#
#   backend/deploy/deploy.sh --host admin@chat.example.com [--ssh-port 22] [--version V]
#   backend/deploy/deploy.sh --local /scratch/root ...    (a rehearsal into a scratch root, as root)
# Options:
#   --version V        release name (default: <git commit>-<UTC time>, so every deploy is new)
#   --binary PATH      ship this server binary instead of building one (e.g. built by CI)
#   --backend-dir DIR  where pb_migrations/ and pb_hooks/ come from (default: this repo's backend/)
#   --domain D         first deploy only: the domain written into /etc/palaver/palaver.env
# The remote user needs sudo; the first deploy also installs the user, unit and directories
# (install.sh), which every later deploy re-checks.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
backend=$(cd "$here/.." && pwd)
repo=$(cd "$backend/.." && pwd)

host=""
local_root=""
ssh_port=22
version=""
binary=""
backend_dir="$backend"
domain=""

die() { echo "deploy.sh: $*" >&2; exit 1; }
say() { echo "deploy.sh: $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --host) host=${2:?--host needs user@host}; shift 2 ;;
    --local) local_root=${2:?--local needs a directory}; shift 2 ;;
    --ssh-port) ssh_port=${2:?}; shift 2 ;;
    --version) version=${2:?}; shift 2 ;;
    --binary) binary=${2:?}; shift 2 ;;
    --backend-dir) backend_dir=${2:?}; shift 2 ;;
    --domain) domain=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[ -n "$host" ] || [ -n "$local_root" ] || die "say where to deploy: --host user@host (or --local DIR for a rehearsal)"
[ -z "$host" ] || [ -z "$local_root" ] || die "--host and --local exclude each other"
[[ "$ssh_port" =~ ^[0-9]+$ ]] || die "--ssh-port must be a number, not '$ssh_port'"
for dir in pb_migrations pb_hooks; do
  [ -d "$backend_dir/$dir" ] || die "$backend_dir/$dir is missing (--backend-dir must hold pb_migrations/ and pb_hooks/)"
done

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
version=${version:-$commit-$(date -u +%Y%m%dT%H%M%SZ)}
[[ "$version" =~ ^[A-Za-z0-9._-]+$ ]] || die "--version may hold letters, digits, '.', '_' and '-' only, not '$version'"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# ---- build (or take) the server binary: static, so it runs on any Linux x86-64 server
mkdir -p "$stage/bin"
if [ -n "$binary" ]; then
  [ -x "$binary" ] || die "--binary $binary is not an executable file"
  cp "$binary" "$stage/bin/pocketbase"
else
  command -v go >/dev/null || die "go is not installed: install Go 1.25+ (backend/go.mod), or pass --binary"
  pb_version=$(sed -n 's/^\tgithub.com\/pocketbase\/pocketbase v//p' "$backend/go.mod")
  say "building the server (PocketBase $pb_version, palaver $version) for linux/amd64"
  (cd "$backend" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath \
    -ldflags "-s -w -X 'github.com/pocketbase/pocketbase.Version=$pb_version (palaver $version)'" \
    -o "$stage/bin/pocketbase" .)
fi
# Litestream, the continuous backup (litestream.service), built from its pinned Go module once per machine.
litestream=$(bash "$here/litestream.sh") || die "could not build Litestream (see above)"
cp "$litestream" "$stage/bin/litestream"
cp -R "$backend_dir/pb_migrations" "$backend_dir/pb_hooks" "$stage/"
mkdir -p "$stage/deploy"
# admin.sh goes along for `admin.sh recover`, which runs on the server.
cp "$here/install.sh" "$here/release.sh" "$here/palaver.service" "$here/README.md" \
  "$here/litestream.service" "$here/litestream.yml" "$here/litestream.env.example" \
  "$here/admin.sh" "$here/admin-files.sh" "$here/admin-recover.sh" "$here/admin.env.example" "$stage/deploy/"
echo "$version" >"$stage/VERSION"
# gzip's fastest level: the release is mostly two Go binaries (the server and Litestream), which the
# default level packs barely smaller, several times slower.
tar -cf - -C "$stage" . | gzip -1 >"$stage.tar.gz"
trap 'rm -rf "$stage" "$stage.tar.gz"' EXIT
say "release $version: $(du -h "$stage.tar.gz" | cut -f1) packed"

# ---- on the server: unpack beside the other releases (a half-copied release is never live), install,
# switch. Quoted once here: the command runs under `sudo bash -c` on the other side.
prefix=""
[ -n "$local_root" ] && prefix=$(cd "$local_root" && pwd)
releases="$prefix/opt/palaver/releases"
q() { printf '%q' "$1"; }
remote_script="set -euo pipefail
install -d -m 0755 $(q "$releases")
rm -rf $(q "$releases/.$version.incoming")
mkdir $(q "$releases/.$version.incoming")
tar -xzf - --no-same-owner -C $(q "$releases/.$version.incoming")
# Owned by root, readable and runnable by the service user, whoever built it and with whatever umask.
chmod -R u=rwX,go=rX $(q "$releases/.$version.incoming")
if [ -e $(q "$releases/$version") ]; then echo 'deploy.sh: release $version is already on the server: deploy under another --version' >&2; exit 1; fi
mv $(q "$releases/.$version.incoming") $(q "$releases/$version")
bash $(q "$releases/$version/deploy/install.sh")${prefix:+ --prefix $(q "$prefix")}${domain:+ --domain $(q "$domain")}
PALAVER_PREFIX=$(q "$prefix") $(q "$prefix/opt/palaver/release.sh") activate $(q "$version")"

if [ -n "$local_root" ]; then
  say "rehearsal: deploying into $prefix"
  bash -c "$remote_script" <"$stage.tar.gz"
else
  say "deploying to $host"
  ssh -p "$ssh_port" -o BatchMode=yes "$host" "sudo bash -c $(q "$remote_script")" <"$stage.tar.gz"
fi
say "release $version is live"
