#!/usr/bin/env bash
# Builds the S3-compatible server the file-storage tests talk to (Versity's versitygw, from its Go
# module at a pinned version, never a downloaded binary) into a cache outside the repository, once,
# and prints the binary's path. The tests call it, and .ci/run calls it ahead of them so that the
# slow first build (a minute or more) is not counted against a test's deadline.
#   s3-server.sh            build if missing, print the path
# PALAVER_TOOLS_CACHE overrides the cache folder (default ~/.cache/palaver-tools).
set -euo pipefail

version=v1.8.0
cache=${PALAVER_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/palaver-tools}
bin_dir="$cache/versitygw-$version"
binary="$bin_dir/versitygw"

if [ ! -x "$binary" ]; then
  command -v go >/dev/null || { echo "s3-server.sh: go is not installed: the S3 test server is built with Go" >&2; exit 1; }
  mkdir -p "$bin_dir"
  echo "s3-server.sh: building versitygw $version into $bin_dir (once)" >&2
  # Into a temporary folder first, so that an interrupted build never leaves a half-written binary.
  tmp=$(mktemp -d "$cache/.build-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  GOBIN="$tmp" CGO_ENABLED=0 go install "github.com/versity/versitygw/cmd/versitygw@$version" >&2 ||
    { echo "s3-server.sh: go install github.com/versity/versitygw/cmd/versitygw@$version failed (see above)" >&2; exit 1; }
  mv "$tmp/versitygw" "$binary"
fi
echo "$binary"
