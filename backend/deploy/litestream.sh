#!/usr/bin/env bash
# Builds Litestream (continuous replication of the database to object storage, see litestream.service)
# from its Go module at a pinned version, never a downloaded binary, into a cache outside the
# repository, once, and prints the binary's path. deploy.sh ships it in every release as
# bin/litestream; the tests, the benchmark and .ci/run (ahead of the tests, so that the first build of
# a minute or more is not counted against a test's deadline) call it too.
#   litestream.sh            build if missing, print the path
# PALAVER_TOOLS_CACHE overrides the cache folder (default ~/.cache/palaver-tools).
#
# v0.5: its replica is a series of LTX files, one per synced transaction group, each with its time, so
# a restore reaches any moment (-timestamp), checks what it restored (-integrity-check), and a database
# restored behind its replica is noticed and snapshotted again rather than replicated over. It is pure
# Go (modernc SQLite), so CGO_ENABLED=0 gives a static binary that runs on any Linux x86-64 server and
# in the rehearsal's chroot. (v0.3.14, the other version the module proxy serves, is the old WAL-
# segment design and needs cgo for its SQLite.)
set -euo pipefail

version=v0.5.18
cache=${PALAVER_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/palaver-tools}
bin_dir="$cache/litestream-$version"
binary="$bin_dir/litestream"

if [ ! -x "$binary" ]; then
  command -v go >/dev/null || { echo "litestream.sh: go is not installed: Litestream is built with Go" >&2; exit 1; }
  mkdir -p "$bin_dir"
  echo "litestream.sh: building litestream $version into $bin_dir (once)" >&2
  # Into a temporary folder first, so that an interrupted build never leaves a half-written binary.
  tmp=$(mktemp -d "$cache/.build-XXXXXX")
  # (go makes its module files read-only; they are in the usual module cache, not here.)
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
  # For the servers (linux/amd64) from any machine: `go install` puts a cross-built binary in
  # GOPATH/bin/linux_amd64, a native one in GOPATH/bin; the module cache stays the usual one.
  GOPATH="$tmp" GOMODCACHE="$(go env GOMODCACHE)" GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go install \
    -ldflags "-s -w -X main.Version=$version" "github.com/benbjohnson/litestream/cmd/litestream@$version" >&2 ||
    { echo "litestream.sh: go install github.com/benbjohnson/litestream/cmd/litestream@$version failed (see above)" >&2; exit 1; }
  built="$tmp/bin/litestream"
  [ -x "$built" ] || built="$tmp/bin/linux_amd64/litestream"
  mv "$built" "$binary"
fi
echo "$binary"
