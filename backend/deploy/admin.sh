#!/usr/bin/env bash
# Production settings and backups of a running Palaver server, through its API as a superuser.
#   admin.sh configure       apply the settings from the environment (safe to run again)
#   admin.sh backup [NAME]   make a backup now (a zip of pb_data; to S3 when S3 is configured)
#   admin.sh backups         list the backups
#   admin.sh restore KEY     restore a backup: the server swaps pb_data for it and restarts itself
#   admin.sh files           where uploaded files are kept, and check that every one is served
#   admin.sh purge USER_ID   delete everything an account wrote (messages, reactions); the account stays
#   admin.sh recover [--at TIME]  on the server, as root: the database back from the continuous replica
#                            (Litestream), latest or as it was at TIME (UTC, 2026-12-02T14:05:00Z)
# Settings come from the environment, or from --env FILE (default backend/deploy/admin.env if it
# exists; admin.env.example documents every variable). Secrets are never printed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
env_file="$here/admin.env"

die() { echo "admin.sh: $*" >&2; exit 1; }
say() { echo "admin.sh: $*"; }

args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --env) env_file=${2:?--env needs a file}; [ -f "$env_file" ] || die "--env $env_file does not exist"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"

if [ -f "$env_file" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$env_file"
  set +a
fi

# recover works on the server's files and services, not through the API.
if [ "${1:-}" = recover ]; then
  # shellcheck source=SCRIPTDIR/admin-recover.sh
  . "$here/admin-recover.sh"
  shift
  command -v curl >/dev/null || die "curl is not installed (apt-get install -y curl)"
  recover "$@"
  exit 0
fi

for tool in curl jq; do
  command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install -y $tool)"
done
url=${PALAVER_URL:-}
[ -n "$url" ] || die "PALAVER_URL is not set: the server's address, e.g. https://chat.example.com"
url=${url%/}

# ---- the API, as a superuser
token=""
# The token goes to curl in a private file, not on its command line, where `ps` would show it.
auth_file=$(mktemp)
# The object storage key and secret, for curl's request signing, the same way (admin-files.sh).
s3_conf=$(mktemp)
# The bucket's last answer (admin-files.sh).
s3_body=$(mktemp)
chmod 600 "$auth_file" "$s3_conf"
trap 'rm -f "$auth_file" "$s3_conf" "$s3_body"' EXIT
set_token() {
  token=$1
  printf 'Authorization: %s\n' "$token" >"$auth_file"
}
api() { # METHOD PATH [JSON] -> body on stdout; a clear error with PocketBase's message otherwise
  local method=$1 path=$2 body=${3-} out status
  out=$(mktemp)
  local -a curl_args=(-sS -o "$out" -w '%{http_code}' -X "$method" "$url$path" -H 'Content-Type: application/json')
  [ -n "$token" ] && curl_args+=(-H "@$auth_file")
  [ -n "$body" ] && curl_args+=(--data-binary @-)
  if ! status=$(printf '%s' "$body" | curl "${curl_args[@]}"); then
    rm -f "$out"
    die "$method $path: could not reach $url (is the server up? see: systemctl status palaver)"
  fi
  if [ "${status:0:1}" != 2 ]; then
    local message
    message=$(jq -r '[.message, (.data // {} | to_entries[] | "\(.key): \(.value.message)")] | map(select(. != null and . != "")) | join("; ")' "$out" 2>/dev/null || true)
    rm -f "$out"
    die "$method $path answered $status: ${message:-no details}"
  fi
  cat "$out"
  rm -f "$out"
}

sign_in() {
  if [ -n "${PB_SUPERUSER_TOKEN:-}" ]; then
    set_token "$PB_SUPERUSER_TOKEN"
    return
  fi
  if [ -z "${PB_SUPERUSER_EMAIL:-}" ] || [ -z "${PB_SUPERUSER_PASSWORD:-}" ]; then
    die "set PB_SUPERUSER_EMAIL and PB_SUPERUSER_PASSWORD (or PB_SUPERUSER_TOKEN) for a superuser of $url"
  fi
  local body answer
  # Secrets reach jq through its environment ($ENV), never as arguments.
  export PB_SUPERUSER_EMAIL PB_SUPERUSER_PASSWORD
  body=$(jq -nc '{identity: $ENV.PB_SUPERUSER_EMAIL, password: $ENV.PB_SUPERUSER_PASSWORD}')
  answer=$(api POST /api/collections/_superusers/auth-with-password "$body")
  if [ "$(jq -r '.mfaId // empty' <<<"$answer")" != "" ]; then
    die "superusers need a second factor (MFA is on): sign in to $url/_/, copy a token into PB_SUPERUSER_TOKEN and run again"
  fi
  set_token "$(jq -r '.token' <<<"$answer")"
}

wait_healthy() {
  local deadline=$((SECONDS + ${1:-60}))
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -fsS --max-time 3 -o /dev/null "$url/api/health" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}

# ---- commands
# shellcheck source=SCRIPTDIR/admin-files.sh
. "$here/admin-files.sh"

configure() {
  # Uploaded files first: their bucket is tried before anything is saved, so that a wrong secret saves
  # nothing at all, and the switch is made before SUPERUSER_IPS may lock this machine out.
  files_s3_preflight
  files_configure
  local settings
  # Secrets reach jq through its environment ($ENV), never as arguments.
  export SMTP_PASSWORD S3_ACCESS_KEY S3_SECRET
  settings=$(jq -n \
    --arg appName "${APP_NAME:-Palaver}" --arg appURL "$url" \
    --arg senderName "${SENDER_NAME:-}" --arg senderAddress "${SENDER_ADDRESS:-}" \
    --arg smtpHost "${SMTP_HOST:-}" --arg smtpPort "${SMTP_PORT:-587}" --arg smtpUser "${SMTP_USERNAME:-}" \
    --arg smtpTls "${SMTP_TLS:-false}" \
    --arg cron "${BACKUP_CRON-0 3 * * *}" --arg keep "${BACKUP_KEEP:-14}" \
    --arg bucket "${S3_BUCKET:-}" --arg region "${S3_REGION:-}" --arg endpoint "${S3_ENDPOINT:-}" \
    --arg pathStyle "${S3_FORCE_PATH_STYLE:-false}" \
    '{
      meta: ({appName: $appName, appURL: $appURL}
        + (if $senderName != "" then {senderName: $senderName} else {} end)
        + (if $senderAddress != "" then {senderAddress: $senderAddress} else {} end)),
      rateLimits: {enabled: true},
      backups: {
        cron: $cron,
        cronMaxKeep: ($keep | tonumber),
        s3: (if $bucket != "" then {enabled: true, bucket: $bucket, region: $region, endpoint: $endpoint,
              accessKey: ($ENV.S3_ACCESS_KEY // ""), secret: ($ENV.S3_SECRET // ""), forcePathStyle: ($pathStyle == "true")}
             else {enabled: false} end)
      }
    }
    + (if $smtpHost != "" then {smtp: {enabled: true, host: $smtpHost, port: ($smtpPort | tonumber),
         username: $smtpUser, password: ($ENV.SMTP_PASSWORD // ""), tls: ($smtpTls == "true"), authMethod: "PLAIN"}} else {} end)')
  if [ -n "${SUPERUSER_IPS+set}" ]; then
    settings=$(jq --arg ips "$SUPERUSER_IPS" '. + {superuserIPs: ($ips | split(",") | map(gsub("^ +| +$"; "")) | map(select(. != "")))}' <<<"$settings")
  fi
  local saved
  saved=$(api PATCH /api/settings "$settings")
  say "settings saved: $(jq -r '"app \(.meta.appName) at \(.meta.appURL); rate limits \(if .rateLimits.enabled then "on" else "OFF" end); backups \(if .backups.cron == "" then "not scheduled" else "at \"\(.backups.cron)\", keeping \(.backups.cronMaxKeep)" end) \(if .backups.s3.enabled then "to s3://\(.backups.s3.bucket) at \(.backups.s3.endpoint)" else "on the server'"'"'s data volume" end); mail \(if .smtp.enabled then "through \(.smtp.host):\(.smtp.port)" else "not configured (no verification or reset mails)" end); superuser addresses \(if (.superuserIPs | length) == 0 then "any" else (.superuserIPs | join(", ")) end)"' <<<"$saved")"

  case "${SUPERUSER_MFA:-}" in
    on)
      [ "$(jq -r '.smtp.enabled' <<<"$saved")" = true ] || die "SUPERUSER_MFA=on needs mail (SMTP_HOST...): the second factor is a one-time code sent by email"
      api PATCH /api/collections/_superusers '{"mfa":{"enabled":true},"otp":{"enabled":true}}' >/dev/null
      say "superusers now sign in with a password and a one-time code by email (MFA)" ;;
    off)
      api PATCH /api/collections/_superusers '{"mfa":{"enabled":false}}' >/dev/null
      say "superuser MFA is off" ;;
    "") ;;
    *) die "SUPERUSER_MFA must be on or off, not '$SUPERUSER_MFA'" ;;
  esac
}

backup() {
  local name=${1:-}
  if [ -n "$name" ]; then
    [[ "$name" =~ ^[a-z0-9_-]+\.zip$ ]] || die "a backup name is lowercase letters, digits, '_' and '-', ending in .zip (not '$name')"
    api POST /api/backups "$(jq -n --arg name "$name" '{name: $name}')" >/dev/null
  else
    api POST /api/backups '{}' >/dev/null
  fi
  # The newest backup is the one just made.
  api GET /api/backups | jq -r 'sort_by(.modified) | last | "admin.sh: backup made: \(.key) (\(.size) bytes)"'
}

backups() {
  api GET /api/backups | jq -r 'sort_by(.modified) | reverse | .[] | "\(.modified)  \(.size)\t\(.key)"'
}

# What /api/health says to a superuser about backups: true, false (one is running), or nothing when
# the server does not answer.
can_backup() {
  curl -fsS --max-time 3 -H "@$auth_file" "$url/api/health" 2>/dev/null | jq -r '.data.canBackup // empty' 2>/dev/null || true
}

restore() {
  local key=${1:?usage: admin.sh restore KEY (see: admin.sh backups)}
  api GET /api/backups | jq -e --arg key "$key" 'any(.[]; .key == $key)' >/dev/null ||
    die "there is no backup '$key' (see: admin.sh backups)"
  # PocketBase answers at once, fetches and unpacks the backup (from S3 this can take minutes), then
  # restarts itself; until then the old data is served and /api/health answers as before. A restart
  # is seen as the end of an open realtime connection, which the restart closes.
  local watcher
  curl -sN --max-time 900 -o /dev/null "$url/api/realtime" 2>/dev/null &
  watcher=$!
  sleep 1
  api POST "/api/backups/$key/restore" >/dev/null
  say "restoring $key: the server fetches it, replaces pb_data and restarts itself"
  local deadline=$((SECONDS + 660)) seen_running=no state
  while [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.5
    state=$(can_backup)
    [ "$state" = false ] && seen_running=yes
    if ! kill -0 "$watcher" 2>/dev/null; then
      if [ "$state" = false ]; then
        # Only the connection ended (idle), the restore is still under way: watch again.
        curl -sN --max-time 900 -o /dev/null "$url/api/realtime" 2>/dev/null &
        watcher=$!
        continue
      fi
      wait_healthy 60 || die "the server did not come back within 60 s after the restore; see: journalctl -u palaver -n 100"
      say "restored $key; the server restarted with it and is back"
      return 0
    fi
    # A restore that fails at once (an unreadable zip) may never be seen running: after a while
    # without a restart and with nothing running, it has stopped.
    if [ "$state" = true ] && { [ "$seen_running" = yes ] || [ "$SECONDS" -gt "$((deadline - 640))" ]; }; then
      kill "$watcher" 2>/dev/null || true
      die "the restore of $key stopped without a restart, so the data is unchanged; the server log says why (journalctl -u palaver -n 100)"
    fi
  done
  kill "$watcher" 2>/dev/null || true
  die "the restore of $key did not finish within 11 minutes; see: journalctl -u palaver -n 100"
}

# The purge route (backend/purge.go) answers how many it deleted; a purge stopped half-way says how far it
# got, and running it again finishes it.
purge() {
  local id=${1:-}
  [[ "$id" =~ ^[a-z0-9]{15}$ ]] || die "purge needs the account's id (15 letters and digits, from the dashboard's users list)"
  local answer
  answer=$(api POST "/api/palaver/users/$id/purge")
  say "purged account $id: $(jq -r '"\(.messages) messages, \(.reactions) reactions deleted"' <<<"$answer")"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  configure) sign_in; configure ;;
  backup) sign_in; backup "${1:-}" ;;
  backups) sign_in; backups ;;
  restore) sign_in; restore "${1:-}" ;;
  files) sign_in; files_report ;;
  purge) sign_in; purge "${1:-}" ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
