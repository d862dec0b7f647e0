#!/usr/bin/env bash
# Where uploaded files (message attachments, avatars) are kept, for admin.sh, which sources this file:
# the server's disk (pb_data/storage, PocketBase's default) or an S3 bucket (Linode Object Storage) when
# FILES_S3_BUCKET is set. PocketBase reads the setting at every request, and never moves a file itself:
# a file stored before a switch stays where it was and is no longer found. So a switch to a bucket
# copies every file there first, through the server's API (no access to the server's disk needed), and
# a switch back to disk is made only when every file is then served (the bucket copied back on the
# server first, as the README says). Uses admin.sh's api, die, say, $url, $auth_file and $s3_conf.
# shellcheck shell=bash disable=SC2154

# The bucket's address of KEY: path style (endpoint/bucket/key) or virtual-host style (bucket.host/key).
s3_url() {
  local key=$1 endpoint=${FILES_S3_ENDPOINT%/}
  if [ "${FILES_S3_FORCE_PATH_STYLE:-false}" = true ]; then
    printf '%s/%s/%s' "$endpoint" "$FILES_S3_BUCKET" "$key"
  else
    printf '%s://%s.%s/%s' "${endpoint%%://*}" "$FILES_S3_BUCKET" "${endpoint#*://}" "$key"
  fi
}

# A file may be gigabytes (PALAVER_ATTACHMENT_MAX_MB), so no overall time limit: a transfer is given up
# when it stalls (under 1 byte/s for two minutes) instead.
slow=(--connect-timeout 20 --speed-limit 1 --speed-time 120)

# s3 METHOD KEY [CURL ARGS...]: one signed request to the bucket; prints the HTTP status (000 when the
# endpoint could not be reached or went silent), the answer's body in $s3_body (admin.sh's, since this runs in
# subshells). The key and secret reach curl in $s3_conf, never on its command line. The payload is not
# hashed into the signature (S3 allows that over any transport; the endpoint is https in production).
s3() {
  local method=$1 key=$2
  shift 2
  local -a how=(-X "$method")
  [ "$method" = HEAD ] && how=(-I)
  curl -sS "${slow[@]}" -o "$s3_body" -w '%{http_code}' -K "$s3_conf" --aws-sigv4 "aws:amz:$FILES_S3_REGION:s3" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "${how[@]}" "$@" "$(s3_url "$key")" 2>/dev/null || echo 000
}

# What the bucket said went wrong: its error code and message, never a key or secret.
s3_problem() {
  local code message
  code=$(sed -n 's:.*<Code>\([^<]*\)</Code>.*:\1:p' "$s3_body" 2>/dev/null | head -1)
  message=$(sed -n 's:.*<Message>\([^<]*\)</Message>.*:\1:p' "$s3_body" 2>/dev/null | head -1)
  [ -n "$code" ] && printf '%s: %s' "$code" "$message"
}

# Checks the FILES_S3_* variables and the bucket itself (a test object written and deleted, as
# PocketBase's own test does) before anything is saved, so bad credentials change nothing.
files_s3_preflight() {
  [ -n "${FILES_S3_BUCKET:-}" ] || return 0
  [ "${FILES_BACK_TO_DISK:-}" != yes ] ||
    die "FILES_BACK_TO_DISK=yes moves files off the bucket, so FILES_S3_BUCKET must be empty; nothing was saved"
  local missing=() name
  for name in FILES_S3_REGION FILES_S3_ENDPOINT FILES_S3_ACCESS_KEY FILES_S3_SECRET; do
    [ -n "${!name:-}" ] || missing+=("$name")
  done
  [ ${#missing[@]} -eq 0 ] || die "FILES_S3_BUCKET is set, so ${missing[*]} must be too (admin.env.example); nothing was saved"
  [[ "$FILES_S3_ENDPOINT" =~ ^https?://[^/]+/?$ ]] ||
    die "FILES_S3_ENDPOINT must be the endpoint's address without a path, e.g. https://us-ord-1.linodeobjects.com (not '$FILES_S3_ENDPOINT'); nothing was saved"
  case "${FILES_S3_FORCE_PATH_STYLE:-false}" in true|false) ;;
    *) die "FILES_S3_FORCE_PATH_STYLE must be true or false (not '$FILES_S3_FORCE_PATH_STYLE'); nothing was saved" ;;
  esac
  local user="$FILES_S3_ACCESS_KEY:$FILES_S3_SECRET"
  user=${user//\\/\\\\}
  user=${user//\"/\\\"}
  # printf is a shell builtin: the secret is never an argument of a process.
  printf 'user = "%s"\n' "$user" >"$s3_conf"

  local key status where="s3://$FILES_S3_BUCKET at $FILES_S3_ENDPOINT"
  key="palaver_admin_test_$RANDOM$RANDOM/test.txt"
  status=$(printf 'test' | s3 PUT "$key" --data-binary @- -H 'Content-Type: text/plain')
  [ "$status" != 000 ] || die "could not reach $FILES_S3_ENDPOINT for FILES_S3_BUCKET (check the address and this machine's network); nothing was saved"
  if [ "${status:0:1}" != 2 ]; then
    local hint="check FILES_S3_ACCESS_KEY and FILES_S3_SECRET (a key with read and write access to this bucket), FILES_S3_REGION and FILES_S3_BUCKET"
    [ "$status" = 404 ] && hint="the bucket does not exist: create it first (linode-cli obj mb $FILES_S3_BUCKET, or in the Cloud Manager)"
    die "writing a test object to $where was refused ($status $(s3_problem)): $hint; nothing was saved"
  fi
  status=$(s3 DELETE "$key")
  [ "${status:0:1}" = 2 ] || die "deleting the test object from $where was refused ($status $(s3_problem)): the key needs delete access too (PocketBase deletes a message's files with it); nothing was saved"
}

# ---- every file the records name, read through the API as the superuser

# The collections with file fields, one JSON object a line: {id, name, updated: has the field, fields: [{name, multi}]}.
file_collections() {
  api GET '/api/collections?perPage=500&skipTotal=1' | jq -c '.items[] | select(.type != "view")
    | {id, name, updated: any(.fields[]; .name == "updated"),
       fields: [.fields[] | select(.type == "file") | {name, multi: ((.maxSelect // 1) > 1)}]}
    | select(.fields | length > 0)'
}

# The newest `updated` of each file collection, as {collectionId: time}: files listed later with
# `updated >=` this time include every file added or changed since (PocketBase's own clock, so the
# operator's clock does not matter).
newest_updates() {
  local collection marks='{}' id newest
  while read -r collection; do
    [ "$(jq -r '.updated' <<<"$collection")" = true ] || continue
    id=$(jq -r '.id' <<<"$collection")
    newest=$(api GET "/api/collections/$id/records?perPage=1&skipTotal=1&sort=-updated&fields=updated" | jq -r '.items[0].updated // empty')
    [ -n "$newest" ] && marks=$(jq -c --arg id "$id" --arg t "$newest" '. + {($id): $t}' <<<"$marks")
  done < <(file_collections)
  echo "$marks"
}

# list_files [SINCE]: "collectionId recordId fileName" for every stored file, or with SINCE (from
# newest_updates) only those of records updated since.
list_files() {
  local since=${1:-'{}'} collection id field multi filter mark page items
  while read -r collection; do
    id=$(jq -r '.id' <<<"$collection")
    mark=$(jq -r --arg id "$id" '.[$id] // empty' <<<"$since")
    while read -r field multi; do
      if [ "$multi" = true ]; then filter="$field:length > 0"; else filter="$field != ''"; fi
      [ -n "$mark" ] && filter="($filter) && updated >= '$mark'"
      filter=$(jq -rn --arg f "$filter" '$f | @uri')
      page=1
      while :; do
        items=$(api GET "/api/collections/$id/records?page=$page&perPage=500&skipTotal=1&sort=id&fields=id,$field&filter=$filter")
        jq -r --arg c "$id" --arg f "$field" '.items[] | .id as $r | (.[$f] | if type == "array" then .[] else . end)
          | select(. != "") | "\($c) \($r) \(.)"' <<<"$items"
        [ "$(jq '.items | length' <<<"$items")" -eq 500 ] || break
        page=$((page + 1))
      done
    done < <(jq -r '.fields[] | "\(.name) \(.multi)"' <<<"$collection")
  done < <(file_collections)
}

# A superuser's file token (protected files need one), renewed well before it expires; called in the
# loop that then calls `served`, which runs in a subshell and so cannot keep it.
file_token="" file_token_at=0
fresh_file_token() {
  if [ -z "$file_token" ] || [ $((SECONDS - file_token_at)) -gt 60 ]; then
    file_token=$(api POST /api/files/token | jq -r '.token')
    file_token_at=$SECONDS
  fi
}

# served COLLECTION RECORD NAME [OUT]: fetches a file as the API serves it (its first byte without
# OUT); prints "STATUS CONTENT-TYPE". The file token reaches curl on its standard input, not as an argument.
served() {
  local out=${4:-/dev/null}
  local -a range=()
  [ -n "${4:-}" ] || range=(-r 0-0)
  printf 'url = "%s/api/files/%s/%s/%s?token=%s"\n' "$url" "$1" "$2" "$3" "$file_token" |
    curl -sS "${slow[@]}" -K - "${range[@]}" -o "$out" -w '%{http_code} %{content_type}' 2>/dev/null || echo 000
}

# Copies the files named on standard input (list_files lines) from the server to the bucket under the
# same keys PocketBase uses (collectionId/recordId/name); one already there is left alone, so a copy
# that stopped half-way is simply run again. Thumbnails are not copied: PocketBase makes them again.
# Says how many it copied, and nothing when it copied none.
copy_to_bucket() {
  local collection record name key answer status copied=0 kept=0 tmp
  tmp=$(mktemp)
  while read -r collection record name; do
    key="$collection/$record/$name"
    status=$(s3 HEAD "$key")
    if [ "$status" = 200 ]; then kept=$((kept + 1)); continue; fi
    fresh_file_token
    answer=$(served "$collection" "$record" "$name" "$tmp")
    [ "${answer%% *}" = 200 ] || { rm -f "$tmp"; die "could not read $key from the server (${answer%% *}) to copy it; nothing was switched"; }
    status=$(s3 PUT "$key" -T "$tmp" -H "Content-Type: ${answer#* }")
    [ "${status:0:1}" = 2 ] || { rm -f "$tmp"; die "copying $key to s3://$FILES_S3_BUCKET was refused ($status $(s3_problem)); nothing was switched: run again"; }
    copied=$((copied + 1))
  done
  rm -f "$tmp"
  [ "$copied" -eq 0 ] || say "copied $copied files to s3://$FILES_S3_BUCKET ($kept were there already)"
}

# The files named on standard input that the API does not serve, one "collection/record/name" a line.
unserved() {
  local collection record name answer
  while read -r collection record name; do
    fresh_file_token
    answer=$(served "$collection" "$record" "$name")
    case "${answer%% *}" in 200|206|416) ;; *) echo "$collection/$record/$name" ;; esac
  done
}

storage_summary() { # the settings' s3 object -> where files are, in words
  jq -r 'if .enabled then "uploaded files in s3://\(.bucket) at \(.endpoint)" else "uploaded files on the server'"'"'s disk (pb_data/storage)" end'
}

# ---- configure's part: switch to FILES_S3_BUCKET, or back to disk, or leave things as they are
files_configure() {
  local current
  current=$(api GET /api/settings | jq -c '.s3')
  if [ -z "${FILES_S3_BUCKET:-}" ]; then
    if [ "$(jq -r '.enabled' <<<"$current")" != true ]; then
      say "$(storage_summary <<<"$current")"
    elif [ "${FILES_BACK_TO_DISK:-}" = yes ]; then
      files_back_to_disk "$current"
    else
      say "$(storage_summary <<<"$current") (FILES_S3_BUCKET is empty, but files are not moved back by that alone: see README, \"Back to the server's disk\")"
    fi
    return 0
  fi

  local same_place
  same_place=$(jq -r --arg b "$FILES_S3_BUCKET" --arg e "${FILES_S3_ENDPOINT%/}" '.enabled and .bucket == $b and (.endpoint | rtrimstr("/")) == $e' <<<"$current")
  local mark next copied pass=0
  if [ "$same_place" != true ]; then
    # Everything there is now, then what arrived during that copy, and so on until a round finds
    # nothing new (each round is shorter than the one before it unless files arrive faster than they
    # are copied: then it stops after five). What arrives between the last list and the switch, a
    # moment, is caught by the check after it.
    mark=$(newest_updates)
    list_files | copy_to_bucket
    while [ $pass -lt 5 ]; do
      next=$(newest_updates)
      copied=$(list_files "$mark" | copy_to_bucket)
      mark=$next
      [ -n "$copied" ] || break
      echo "$copied"
      pass=$((pass + 1))
    done
  fi
  export FILES_S3_ACCESS_KEY FILES_S3_SECRET
  local body
  body=$(jq -n --arg bucket "$FILES_S3_BUCKET" --arg region "$FILES_S3_REGION" --arg endpoint "${FILES_S3_ENDPOINT%/}" \
    --arg pathStyle "${FILES_S3_FORCE_PATH_STYLE:-false}" \
    '{s3: {enabled: true, bucket: $bucket, region: $region, endpoint: $endpoint,
      accessKey: $ENV.FILES_S3_ACCESS_KEY, secret: $ENV.FILES_S3_SECRET, forcePathStyle: ($pathStyle == "true")}}')
  api PATCH /api/settings "$body" >/dev/null
  if ! (api POST /api/settings/test/s3 '{"filesystem":"storage"}' >/dev/null); then
    # The server cannot use the bucket although this machine could: put the previous place back.
    if [ "$(jq -r '.enabled' <<<"$current")" = true ]; then
      api PATCH /api/settings "$(jq -c '{s3: (. + {enabled: true})}' <<<"$current")" >/dev/null
      die "the server could not write to s3://$FILES_S3_BUCKET (above); its files stay in s3://$(jq -r .bucket <<<"$current"), but that bucket's secret was replaced: run configure again with its FILES_S3_* values"
    fi
    api PATCH /api/settings "$(jq -c '{s3: (. + {enabled: false, secret: ""})}' <<<"$current")" >/dev/null
    die "the server could not write to s3://$FILES_S3_BUCKET (above), though this machine could (the server's network or firewall?); files stay on the server's disk"
  fi
  say "$(storage_summary <<<"{\"enabled\":true,\"bucket\":\"$FILES_S3_BUCKET\",\"endpoint\":\"${FILES_S3_ENDPOINT%/}\"}")"
  [ "$same_place" != true ] || return 0

  local missing
  missing=$(list_files "$mark" | while read -r collection record name; do
    [ "$(s3 HEAD "$collection/$record/$name")" = 200 ] || echo "pb_data/storage/$collection/$record/$name"
  done)
  if [ -n "$missing" ]; then
    echo "$missing" >&2
    die "$(wc -l <<<"$missing") files uploaded during the switch are only on the server's disk (above): copy them into the bucket under the same keys (README, \"Uploaded files on object storage\")"
  fi
  say "every file is in s3://$FILES_S3_BUCKET; the copies left in pb_data/storage are no longer used (README says when to delete them)"
}

files_back_to_disk() {
  local current=$1 missing
  api PATCH /api/settings '{"s3":{"enabled":false}}' >/dev/null
  missing=$(list_files | unserved)
  if [ -n "$missing" ]; then
    api PATCH /api/settings '{"s3":{"enabled":true}}' >/dev/null
    die "$(wc -l <<<"$missing") files are not in the server's pb_data/storage (first: $(head -1 <<<"$missing")): copy the bucket there first (README, \"Back to the server's disk\"); files stay in s3://$(jq -r .bucket <<<"$current")"
  fi
  say "uploaded files on the server's disk again (pb_data/storage, every file served); s3://$(jq -r .bucket <<<"$current") is no longer used"
}

# ---- admin.sh files: where they are, and whether every one is served
files_report() {
  local current all count missing
  current=$(api GET /api/settings | jq -c '.s3')
  say "$(storage_summary <<<"$current")"
  all=$(list_files)
  count=$(grep -c . <<<"$all" || true)
  missing=$([ "$count" -eq 0 ] || unserved <<<"$all")
  if [ -n "$missing" ]; then
    echo "$missing" >&2
    die "$(wc -l <<<"$missing") of $count files are not served (above)"
  fi
  say "all $count files are served"
}
