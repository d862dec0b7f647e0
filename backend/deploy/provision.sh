#!/usr/bin/env bash
# Creates Palaver's production server on Linode with linode-cli: a firewall, the instance (first boot
# configured by cloud-init from backend/deploy/cloud-init.yaml), a block-storage volume for the data
# and, optionally, the DNS A record. Safe to run twice: every resource is looked up by label first and
# reused when it exists. --dry-run prints the linode-cli calls instead of running them.
# See backend/deploy/PROVISIONING.md.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: '&' in ${x//a/b} stays literal

prog=$(basename "$0")
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Human-readable progress goes to fd 3 (stdout), so functions whose stdout is captured can still talk.
exec 3>&1

# Waiting for the instance and the volume to be ready: every 5 s, at most 60 times (tests shorten it).
poll_seconds=${PROVISION_POLL_SECONDS:-5}
poll_tries=${PROVISION_POLL_TRIES:-60}

usage() {
	cat <<EOF
Usage: $prog [--dry-run] [--config FILE]
       $prog --render-cloud-init [--config FILE]

Creates (or finds and reuses) Palaver's Linode resources with linode-cli:
  1. firewall   \${LINODE_LABEL}-fw: inbound DROP except TCP 22, 80, 443; outbound ACCEPT
  2. instance   \${LINODE_LABEL}, first boot configured by cloud-init (backend/deploy/cloud-init.yaml)
  3. volume     \${LINODE_LABEL}-data (VOLUME_SIZE_GB), attached to the instance, mounted at /var/lib/palaver
  4. DNS        an A record for PALAVER_DOMAIN in the Linode DNS zone DNS_ZONE (only if DNS_ZONE is set)

Options:
  --dry-run            print the linode-cli calls (prefixed '+ ', shell-quoted) instead of running
                       them; needs neither linode-cli nor a token, creates nothing
  --config FILE        the settings (default: $script_dir/provision.env;
                       the documented template is provision.env.example next to this script)
  --render-cloud-init  print the rendered cloud-init user data and exit
  -h, --help           this help

Without --dry-run it needs linode-cli (pipx install linode-cli), jq, and LINODE_CLI_TOKEN set to a
Linode personal access token with Linodes, Volumes and Firewalls read/write (and Domains read/write
when DNS_ZONE is set).
EOF
}

die() {
	printf '%s: error: %s\n' "$prog" "$*" >&2
	exit 1
}

usage_error() {
	printf '%s: %s (see %s --help)\n' "$prog" "$*" "$prog" >&2
	exit 2
}

say() { printf '%s\n' "$*" >&3; }

# ---------------------------------------------------------------------------------------------------
# Arguments

dry_run=0
mode=provision
config="$script_dir/provision.env"
while (($# > 0)); do
	case $1 in
	--dry-run) dry_run=1 ;;
	--render-cloud-init) mode=render ;;
	--config)
		if (($# < 2)) || [[ -z $2 ]]; then usage_error "--config needs a file name"; fi
		config=$2
		shift
		;;
	--config=*)
		config=${1#--config=}
		[[ -n $config ]] || usage_error "--config needs a file name"
		;;
	-h | --help)
		usage
		exit 0
		;;
	-*) usage_error "unknown option '$1'" ;;
	*) usage_error "unexpected argument '$1'" ;;
	esac
	shift
done

# ---------------------------------------------------------------------------------------------------
# Configuration: only the config file counts, not variables that happen to be in the environment.

unset LINODE_LABEL LINODE_REGION LINODE_TYPE LINODE_IMAGE VOLUME_SIZE_GB SSH_PUBLIC_KEY_FILE \
	ADMIN_USER PALAVER_DOMAIN DNS_ZONE

if [[ ! -f $config ]]; then
	die "config file $config not found: copy $script_dir/provision.env.example to $script_dir/provision.env and fill it in, or pass --config FILE"
fi
# The config is shell (KEY=value lines, like provision.env.example); it is the operator's own file.
# shellcheck source=/dev/null
. "$config"

LINODE_LABEL=${LINODE_LABEL:-}
LINODE_REGION=${LINODE_REGION:-}
LINODE_TYPE=${LINODE_TYPE:-}
LINODE_IMAGE=${LINODE_IMAGE:-linode/debian12}
VOLUME_SIZE_GB=${VOLUME_SIZE_GB:-20}
SSH_PUBLIC_KEY_FILE=${SSH_PUBLIC_KEY_FILE:-}
ADMIN_USER=${ADMIN_USER:-admin}
PALAVER_DOMAIN=$(printf '%s' "${PALAVER_DOMAIN:-}" | tr '[:upper:]' '[:lower:]')
DNS_ZONE=$(printf '%s' "${DNS_ZONE:-}" | tr '[:upper:]' '[:lower:]')

errors=()
bad() { errors+=("$*"); }

hostname_re='^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$'

if [[ -z $LINODE_LABEL ]]; then
	bad "LINODE_LABEL is not set: set it to the instance's name, e.g. LINODE_LABEL=palaver-prod"
elif ! [[ $LINODE_LABEL =~ ^[A-Za-z0-9_.-]{3,64}$ ]]; then
	bad "LINODE_LABEL='$LINODE_LABEL' is not a label Linode accepts: use 3-64 characters from A-Z a-z 0-9 _ . - (e.g. palaver-prod)"
elif ! [[ $LINODE_LABEL =~ ^[A-Za-z0-9].*[A-Za-z0-9]$ ]] || [[ $LINODE_LABEL == *--* || $LINODE_LABEL == *__* || $LINODE_LABEL == *..* ]]; then
	bad "LINODE_LABEL='$LINODE_LABEL' is not a label Linode accepts: it must start and end with a letter or digit and have no '--', '__' or '..' (e.g. palaver-prod)"
else
	# The volume and firewall labels derive from it, and Linode is stricter about those.
	volume_label="${LINODE_LABEL}-data"
	if ((${#volume_label} > 32)) || ! [[ $LINODE_LABEL =~ ^[A-Za-z][A-Za-z0-9_-]*$ ]]; then
		bad "LINODE_LABEL='$LINODE_LABEL' gives the volume label '$volume_label', which Linode refuses: volume labels are at most 32 characters, start with a letter and use only A-Z a-z 0-9 _ - (so LINODE_LABEL: at most 27 characters, no dots; e.g. palaver-prod)"
	fi
fi

if [[ -z $LINODE_REGION ]]; then
	bad "LINODE_REGION is not set: set it to a region with the Metadata service, e.g. LINODE_REGION=us-ord (list: linode-cli regions list)"
elif ! [[ $LINODE_REGION =~ ^[a-z]{2}-[a-z]+(-[0-9]+)?$ ]]; then
	bad "LINODE_REGION='$LINODE_REGION' is not a Linode region id: use one like us-ord (list: linode-cli regions list)"
fi

if [[ -z $LINODE_TYPE ]]; then
	bad "LINODE_TYPE is not set: set it to a plan id, e.g. LINODE_TYPE=g6-standard-2 (list: linode-cli linodes types)"
elif ! [[ $LINODE_TYPE =~ ^[a-z0-9-]+$ ]]; then
	bad "LINODE_TYPE='$LINODE_TYPE' is not a Linode plan id: use one like g6-standard-2 (list: linode-cli linodes types)"
fi

if ! [[ $LINODE_IMAGE =~ ^[a-z0-9][a-z0-9/._-]*$ ]]; then
	bad "LINODE_IMAGE='$LINODE_IMAGE' is not a Linode image id: leave it unset for linode/debian12, or use one like linode/debian12"
fi

if ! [[ $VOLUME_SIZE_GB =~ ^[0-9]+$ ]]; then
	bad "VOLUME_SIZE_GB='$VOLUME_SIZE_GB' is not a whole number of GB: set e.g. VOLUME_SIZE_GB=20 (Linode's minimum is 10)"
elif ((10#$VOLUME_SIZE_GB < 10)); then
	bad "VOLUME_SIZE_GB=$VOLUME_SIZE_GB is below Linode's minimum volume size: set it to 10 or more"
else
	VOLUME_SIZE_GB=$((10#$VOLUME_SIZE_GB))
fi

ssh_keys=()
if [[ -z $SSH_PUBLIC_KEY_FILE ]]; then
	bad "SSH_PUBLIC_KEY_FILE is not set: set it to your SSH public key, e.g. SSH_PUBLIC_KEY_FILE=\$HOME/.ssh/id_ed25519.pub"
else
	case $SSH_PUBLIC_KEY_FILE in \~/*) SSH_PUBLIC_KEY_FILE="$HOME/${SSH_PUBLIC_KEY_FILE#\~/}" ;; esac
	if [[ ! -f $SSH_PUBLIC_KEY_FILE || ! -r $SSH_PUBLIC_KEY_FILE ]]; then
		bad "SSH_PUBLIC_KEY_FILE=$SSH_PUBLIC_KEY_FILE: no such readable file: point it at your public key (ssh-keygen -t ed25519 makes one)"
	elif grep -q 'PRIVATE KEY' "$SSH_PUBLIC_KEY_FILE"; then
		bad "SSH_PUBLIC_KEY_FILE=$SSH_PUBLIC_KEY_FILE is a PRIVATE key: point it at the .pub file next to it"
	else
		key_re='^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+=*( .*)?$'
		while IFS= read -r line || [[ -n $line ]]; do
			line=${line%$'\r'}
			[[ -z $line || $line == \#* ]] && continue
			if [[ $line =~ $key_re ]]; then
				ssh_keys+=("$line")
			else
				bad "SSH_PUBLIC_KEY_FILE=$SSH_PUBLIC_KEY_FILE has a line that is not an OpenSSH public key: '${line:0:40}...'"
				break
			fi
		done <"$SSH_PUBLIC_KEY_FILE"
		if ((${#ssh_keys[@]} == 0)); then
			bad "SSH_PUBLIC_KEY_FILE=$SSH_PUBLIC_KEY_FILE has no public key in it: point it at your .pub file"
		fi
	fi
fi

# The operator's login on the server (first boot creates it; root cannot log in over SSH after that).
# A Debian user name, and not one of the accounts Debian or the service already use.
case $ADMIN_USER in
root | pocketbase | daemon | bin | sys | sync | games | man | lp | mail | news | uucp | proxy | www-data | \
	backup | list | irc | gnats | nobody | sshd | messagebus | _apt | systemd-*)
	bad "ADMIN_USER='$ADMIN_USER' is a system account: choose your own login name, e.g. ADMIN_USER=admin (the default)"
	;;
*)
	if ! [[ $ADMIN_USER =~ ^[a-z_][a-z0-9_-]{0,31}$ ]]; then
		bad "ADMIN_USER='$ADMIN_USER' is not a Debian user name: use 1-32 characters from a-z 0-9 _ -, starting with a letter or _ (e.g. ADMIN_USER=admin)"
	fi
	;;
esac

if [[ -z $PALAVER_DOMAIN ]]; then
	bad "PALAVER_DOMAIN is not set: set it to the server's DNS name, e.g. PALAVER_DOMAIN=chat.example.com"
elif ! [[ $PALAVER_DOMAIN =~ $hostname_re ]]; then
	bad "PALAVER_DOMAIN='$PALAVER_DOMAIN' is not a DNS name: use one like chat.example.com (no scheme, port or path)"
fi

dns_host=''
if [[ -n $DNS_ZONE ]]; then
	if ! [[ $DNS_ZONE =~ $hostname_re ]]; then
		bad "DNS_ZONE='$DNS_ZONE' is not a DNS zone name: use one like example.com, or leave it unset to manage DNS yourself"
	elif [[ $PALAVER_DOMAIN == "$DNS_ZONE" ]]; then
		dns_host=''
	elif [[ $PALAVER_DOMAIN == *".$DNS_ZONE" ]]; then
		dns_host=${PALAVER_DOMAIN%".$DNS_ZONE"}
	else
		bad "PALAVER_DOMAIN=$PALAVER_DOMAIN is not inside DNS_ZONE=$DNS_ZONE: use a name ending in .$DNS_ZONE, or unset DNS_ZONE and create the DNS record yourself"
	fi
fi

if ((${#errors[@]} > 0)); then
	for e in "${errors[@]}"; do
		printf '%s: error: %s\n' "$prog" "$e" >&2
	done
	printf '%s: nothing was done; fix %s and rerun\n' "$prog" "$config" >&2
	exit 1
fi

volume_label="${LINODE_LABEL}-data"
firewall_label="${LINODE_LABEL}-fw"

# ---------------------------------------------------------------------------------------------------
# cloud-init user data

# Linode's Metadata service takes at most 16 KiB of (decoded) user data.
user_data_max=16384

# Prints the user data: cloud-init.yaml without its top-level comments (they document the template and
# would only use up the 16 KiB), placeholders filled in.
render_cloud_init() {
	local template="$script_dir/cloud-init.yaml" unit="$script_dir/palaver.service" text unit_b64 keys_b64
	[[ -f $template ]] || die "$template is missing"
	[[ -f $unit ]] || die "$unit is missing"
	text=$(sed '1!{/^#/d;}' "$template")
	unit_b64=$(base64 <"$unit" | tr -d '\n')
	keys_b64=$(printf '%s\n' "${ssh_keys[@]}" | base64 | tr -d '\n')
	text=${text//@PALAVER_DOMAIN@/$PALAVER_DOMAIN}
	text=${text//@VOLUME_LABEL@/$volume_label}
	text=${text//@ADMIN_USER@/$ADMIN_USER}
	text=${text//@ADMIN_SSH_KEYS_B64@/$keys_b64}
	text=${text//@PALAVER_SERVICE_B64@/$unit_b64}
	if [[ $text =~ @[A-Z0-9_]+@ ]]; then
		die "$template has the placeholder ${BASH_REMATCH[0]}, which $prog does not fill in"
	fi
	[[ ${text%%$'\n'*} == '#cloud-config' ]] || die "$template must start with the line #cloud-config"
	text="#cloud-config"$'\n'"# Rendered by backend/deploy/provision.sh from backend/deploy/cloud-init.yaml.${text#'#cloud-config'}"
	printf '%s\n' "$text"
}

user_data=$(render_cloud_init)
user_data_bytes=$(printf '%s\n' "$user_data" | wc -c | tr -d ' ')
if ((user_data_bytes > user_data_max)); then
	die "the rendered cloud-init is $user_data_bytes bytes, more than the $user_data_max Linode's Metadata service accepts: shorten backend/deploy/cloud-init.yaml"
fi
if [[ $mode == render ]]; then
	printf '%s\n' "$user_data"
	exit 0
fi
user_data_b64=$(printf '%s\n' "$user_data" | base64 | tr -d '\n')

# ---------------------------------------------------------------------------------------------------
# Running linode-cli

if ((!dry_run)); then
	missing=()
	command -v linode-cli >/dev/null 2>&1 || missing+=("linode-cli is not on PATH (install it: pipx install linode-cli)")
	[[ -n ${LINODE_CLI_TOKEN:-} ]] || missing+=("LINODE_CLI_TOKEN is not set (export a Linode personal access token, scopes in backend/deploy/PROVISIONING.md)")
	command -v jq >/dev/null 2>&1 || missing+=("jq is not on PATH (apt-get install -y jq, or brew install jq)")
	if ((${#missing[@]} > 0)); then
		joined=$(printf '%s; ' "${missing[@]}")
		joined=${joined%; }
		printf '%s: cannot provision: %s. Nothing was created (--dry-run shows the calls without them).\n' "$prog" "$joined" >&2
		exit 1
	fi
fi

# Shell-quotes one word for display: bare when it is plainly safe, else in single quotes.
quote() {
	if [[ $1 =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
		printf -v quoted '%s' "$1"
	else
		printf -v quoted "'%s'" "${1//\'/\'\\\'\'}"
	fi
}

# Prints a command as '+ word word ...'. Outside a dry run the (long) user data is abbreviated. (The root
# password is never an argument: see the linodes create call.)
show() {
	local line='+' prev='' word
	for word in "$@"; do
		if [[ $prev == --metadata.user_data ]] && ((!dry_run)); then
			quote "<${#word} characters of base64: $prog --render-cloud-init shows them decoded>"
		else
			quote "$word"
		fi
		line+=" $quoted"
		prev=$word
	done
	say "$line"
}

# linode-cli ARGS...: prints the call; outside a dry run runs it (its stdout is the result).
lc() {
	show linode-cli "$@"
	((dry_run)) && return 0
	if ! linode-cli "$@"; then
		printf '%s: error: linode-cli %s %s failed (its message is above); stopping, nothing after this step was done. Fix the cause and rerun: finished steps are reused.\n' "$prog" "$1" "$2" >&2
		return 1
	fi
}

# Waits until `linode-cli KIND view ID` reports one of the wanted statuses (a|b); sets $status.
status=''
wait_status() {
	local kind=$1 id=$2 want=$3 out i last=''
	show linode-cli "$kind" view "$id" --json
	if ((dry_run)); then
		say "  (repeated every ${poll_seconds}s until its status is ${want//|/ or })"
		status=${want%%|*}
		return 0
	fi
	for ((i = 1; i <= poll_tries; i++)); do
		out=$(linode-cli "$kind" view "$id" --json) || die "linode-cli $kind view $id failed (its message is above)"
		status=$(jq -r '.[0].status // empty' <<<"$out")
		if [[ $status =~ ^($want)$ ]]; then
			return 0
		fi
		[[ $status == "$last" ]] || say "  status: ${status:-unknown}; waiting for ${want//|/ or }"
		last=$status
		sleep "$poll_seconds"
	done
	die "$kind $id is still '$status' after $((poll_tries * poll_seconds))s; check it in Cloud Manager, then rerun (finished steps are reused)"
}

new_root_password() {
	if command -v openssl >/dev/null 2>&1; then
		openssl rand -base64 36 | tr -d '\n'
	else
		head -c 36 /dev/urandom | base64 | tr -d '\n'
	fi
}

# ---------------------------------------------------------------------------------------------------
# Provisioning

if ((dry_run)); then
	say "$prog: DRY RUN: the linode-cli calls are printed, not run; nothing is created."
	say "  Lookups assume nothing exists yet; <firewall-id>, <linode-id>, <ipv4>, <volume-id>, <zone-id> stand for the values real runs read from the JSON."
fi
say "Config: $config"
say "  instance $LINODE_LABEL ($LINODE_TYPE, $LINODE_IMAGE) in $LINODE_REGION; volume $volume_label (${VOLUME_SIZE_GB} GB); firewall $firewall_label"
say "  domain $PALAVER_DOMAIN${DNS_ZONE:+ (A record in Linode DNS zone $DNS_ZONE)}; login $ADMIN_USER with the key(s) in $SSH_PUBLIC_KEY_FILE"

say ""
say "== Checks: the region has the Metadata service and the image runs cloud-init"
out=$(lc regions view "$LINODE_REGION" --json)
if ((!dry_run)); then
	jq -e '.[0].capabilities | index("Metadata")' <<<"$out" >/dev/null ||
		die "LINODE_REGION=$LINODE_REGION has no Metadata service, so the instance would never see its cloud-init user data: pick a region whose capabilities include Metadata (linode-cli regions list)"
fi
out=$(lc images view "$LINODE_IMAGE" --json)
if ((!dry_run)); then
	jq -e '.[0].capabilities | index("cloud-init")' <<<"$out" >/dev/null ||
		die "LINODE_IMAGE=$LINODE_IMAGE does not support cloud-init, so first boot would do nothing: use linode/debian12"
fi

# 1. Firewall
say ""
say "== Firewall $firewall_label"
inbound_rules='[{"label":"ssh-http-https","action":"ACCEPT","protocol":"TCP","ports":"22,80,443","addresses":{"ipv4":["0.0.0.0/0"],"ipv6":["::/0"]}}]'
out=$(lc firewalls list --all-rows --json)
firewall_id=''
if ((!dry_run)); then
	firewall_id=$(jq -r --arg l "$firewall_label" '[.[] | select(.label == $l)][0].id // empty' <<<"$out")
fi
if [[ -n $firewall_id ]]; then
	say "  exists: firewall $firewall_id; reusing it as it is (its rules are not changed)"
else
	out=$(lc firewalls create --label "$firewall_label" --rules.inbound_policy DROP --rules.outbound_policy ACCEPT \
		--rules.inbound "$inbound_rules" --no-defaults --json)
	if ((dry_run)); then
		firewall_id='<firewall-id>'
	else
		firewall_id=$(jq -r '.[0].id' <<<"$out")
		say "  created firewall $firewall_id"
	fi
fi

# 2. Instance. Created powered off, so that the volume is attached before cloud-init's first boot.
say ""
say "== Instance $LINODE_LABEL"
out=$(lc linodes list --label "$LINODE_LABEL" --json)
linode_id=''
ipv4=''
linode_region=$LINODE_REGION
if ((!dry_run)); then
	linode_id=$(jq -r '.[0].id // empty' <<<"$out")
fi
if [[ -n $linode_id ]]; then
	ipv4=$(jq -r '[.[0].ipv4[] | select(startswith("192.168.") | not)][0] // empty' <<<"$out")
	linode_region=$(jq -r '.[0].region' <<<"$out")
	say "  exists: Linode $linode_id at $ipv4 in $linode_region ($(jq -r '.[0].type' <<<"$out"), $(jq -r '.[0].status' <<<"$out")); reusing it as it is"
	if [[ $linode_region != "$LINODE_REGION" ]]; then
		say "  note: it is in $linode_region, not LINODE_REGION=$LINODE_REGION; the volume goes where the instance is"
	fi
else
	if ((dry_run)); then root_pass='<generated>'; else root_pass=$(new_root_password); fi
	key_args=()
	for key in "${ssh_keys[@]}"; do key_args+=(--authorized_keys "$key"); done
	# linode-cli takes a password field given without a value from LINODE_CLI_ROOT_PASS: an argument
	# would be readable by every user of this machine in `ps` and /proc/PID/cmdline; the environment is
	# readable only by the same user.
	export LINODE_CLI_ROOT_PASS=$root_pass
	out=$(lc linodes create --label "$LINODE_LABEL" --region "$LINODE_REGION" --type "$LINODE_TYPE" \
		--image "$LINODE_IMAGE" --root_pass "${key_args[@]}" --firewall_id "$firewall_id" \
		--booted false --metadata.user_data "$user_data_b64" --no-defaults --json)
	unset root_pass LINODE_CLI_ROOT_PASS
	if ((dry_run)); then
		linode_id='<linode-id>'
		ipv4='<ipv4>'
	else
		linode_id=$(jq -r '.[0].id' <<<"$out")
		ipv4=$(jq -r '[.[0].ipv4[] | select(startswith("192.168.") | not)][0] // empty' <<<"$out")
		say "  created Linode $linode_id at $ipv4 (powered off until the volume is attached; the root password is random and was not kept: log in as $ADMIN_USER with your SSH key once first boot has run)"
	fi
fi
wait_status linodes "$linode_id" 'offline|running'
linode_status=$status

# 3. Volume
say ""
say "== Volume $volume_label"
out=$(lc volumes list --label "$volume_label" --json)
volume_id=''
if ((!dry_run)); then
	volume_id=$(jq -r '.[0].id // empty' <<<"$out")
fi
if [[ -n $volume_id ]]; then
	attached_to=$(jq -r '.[0].linode_id // empty' <<<"$out")
	volume_region=$(jq -r '.[0].region' <<<"$out")
	volume_size=$(jq -r '.[0].size' <<<"$out")
	if [[ $attached_to == "$linode_id" ]]; then
		say "  exists: volume $volume_id ($volume_size GB), attached to this instance; reusing it"
	elif [[ -n $attached_to ]]; then
		die "volume $volume_label ($volume_id) is attached to another Linode ($attached_to, $(jq -r '.[0].linode_label // "?"' <<<"$out")), not to $LINODE_LABEL ($linode_id). Moving the data volume is a deliberate step: see 'Moving the data volume' in backend/deploy/PROVISIONING.md. Stopping; the volume was not touched"
	elif [[ $volume_region != "$linode_region" ]]; then
		die "volume $volume_label ($volume_id) is in $volume_region but $LINODE_LABEL is in $linode_region: a volume cannot change region. Stopping; the volume was not touched"
	else
		say "  exists, detached: volume $volume_id ($volume_size GB); attaching it (its data is kept: first boot never reformats a volume that has a filesystem)"
		lc volumes attach "$volume_id" --linode_id "$linode_id" --persist_across_boots true --no-defaults --json >/dev/null
	fi
	if ((volume_size < VOLUME_SIZE_GB)); then
		say "  note: it is $volume_size GB, less than VOLUME_SIZE_GB=$VOLUME_SIZE_GB; grow it with: linode-cli volumes resize $volume_id --size $VOLUME_SIZE_GB (then resize2fs on the server)"
	fi
else
	out=$(lc volumes create --label "$volume_label" --size "$VOLUME_SIZE_GB" --linode_id "$linode_id" --no-defaults --json)
	if ((dry_run)); then
		volume_id='<volume-id>'
	else
		volume_id=$(jq -r '.[0].id' <<<"$out")
		say "  created volume $volume_id (${VOLUME_SIZE_GB} GB), attached to $LINODE_LABEL"
	fi
fi
wait_status volumes "$volume_id" 'active'

if [[ $linode_status == offline ]]; then
	say "  booting $LINODE_LABEL: cloud-init runs on this first boot"
	lc linodes boot "$linode_id" >/dev/null
fi

# 4. DNS
if [[ -n $DNS_ZONE ]]; then
	say ""
	say "== DNS: A record ${dns_host:-(zone apex)} in $DNS_ZONE -> $ipv4"
	out=$(lc domains list --all-rows --json)
	zone_id='<zone-id>'
	if ((!dry_run)); then
		zone_id=$(jq -r --arg z "$DNS_ZONE" '[.[] | select((.domain | ascii_downcase) == $z)][0].id // empty' <<<"$out")
		[[ -n $zone_id ]] || die "DNS_ZONE=$DNS_ZONE is not a domain in this Linode account: add it in Cloud Manager (Domains), or unset DNS_ZONE and create the A record for $PALAVER_DOMAIN -> $ipv4 yourself"
	fi
	out=$(lc domains records-list "$zone_id" --all-rows --json)
	same=''
	other=''
	if ((!dry_run)); then
		same=$(jq -r --arg n "$dns_host" --arg t "$ipv4" '[.[] | select(.type == "A" and .name == $n and .target == $t)][0].id // empty' <<<"$out")
		other=$(jq -r --arg n "$dns_host" --arg t "$ipv4" '[.[] | select(.type == "A" and .name == $n and .target != $t) | "\(.id) -> \(.target)"] | join(", ")' <<<"$out")
	fi
	if [[ -n $same ]]; then
		say "  exists: record $same already points $PALAVER_DOMAIN at $ipv4"
	elif [[ -n $other ]]; then
		die "$DNS_ZONE already has an A record for $PALAVER_DOMAIN pointing elsewhere ($other). Update it (linode-cli domains records-update $zone_id <record-id> --target $ipv4) or delete it, then rerun"
	else
		out=$(lc domains records-create "$zone_id" --type A --name "$dns_host" --target "$ipv4" --ttl_sec 300 --json)
		((dry_run)) || say "  created record $(jq -r '.[0].id' <<<"$out")"
	fi
fi

# ---------------------------------------------------------------------------------------------------
# Next steps

say ""
if ((dry_run)); then
	say "Dry run finished: nothing was created. Without --dry-run, then:"
else
	say "Done: Linode $linode_id ($LINODE_LABEL) at $ipv4, volume $volume_id, firewall $firewall_id."
	say "Next:"
fi
n=1
if [[ -z $DNS_ZONE ]]; then
	say "  $n. Point DNS at the server: an A record $PALAVER_DOMAIN -> $ipv4 (Let's Encrypt needs it before the first start)."
	n=$((n + 1))
fi
say "  $n. Wait for first boot to finish (a few minutes): ssh $ADMIN_USER@$ipv4 cloud-init status --wait"
say "     It must say 'status: done'; its log is /var/log/cloud-init-output.log on the server. Log in as $ADMIN_USER"
say "     (passwordless sudo): first boot turns root's SSH login off. If $ADMIN_USER is refused at first, the"
say "     first-boot script has not run yet (packages install first): wait a minute and retry."
n=$((n + 1))
say "  $n. Install the first release, which starts palaver.service:"
say "     backend/deploy/deploy.sh --host $ADMIN_USER@$ipv4 --domain $PALAVER_DOMAIN"
