#!/bin/bash
# For provision.test.ts (needs root): runs steps 1-2 of the rendered palaver-first-boot (the operator's
# login, then SSH hardening) twice, for real, in a private mount namespace whose /etc and /home are
# throwaway overlays: useradd, visudo, runuser and sudo are the machine's own, nothing outside the
# namespace changes. sshd and systemctl are stand-ins (no sshd or systemd runs here) that log their
# calls; the sshd stand-in also notes whether the operator's key file was already written when it was
# asked to check the configuration.
# Usage: first-boot-login.sh USER_DATA OUT_DIR [--sudo-fails]
#   USER_DATA     output of provision.sh --render-cloud-init
#   OUT_DIR       results: run1.out/run1.rc, run2.out/run2.rc, snap1/snap2 (files and metadata after
#                 each run), calls, files/ (copies of what step 1-2 wrote), id
#   --sudo-fails  runuser fails, as if the new login could not use sudo
set -euo pipefail

if [[ ${FIRST_BOOT_LOGIN_NS:-} != 1 ]]; then
	exec env FIRST_BOOT_LOGIN_NS=1 unshare --mount --propagation private "$0" "$@"
fi

user_data=$1
out=$2
sudo_fails=${3:-}
mkdir -p "$out/files"

scratch=$(mktemp -d)
mount -t tmpfs tmpfs "$scratch"
for d in etc home; do
	mkdir -p "$scratch/$d-up" "$scratch/$d-work"
	mount -t overlay overlay -o "lowerdir=/$d,upperdir=$scratch/$d-up,workdir=$scratch/$d-work" "/$d"
done

bin=$scratch/bin
mkdir -p "$bin"
cat >"$bin/sshd" <<EOF
#!/bin/bash
echo "sshd \$*" >>'$out/calls'
dropin=/etc/ssh/sshd_config.d/10-palaver.conf
case \$1 in
-t) echo "sshd -t: authorized_keys \$(grep -c . /home/*/.ssh/authorized_keys 2>/dev/null || echo missing)" >>'$out/calls' ;;
-T) # first value wins: the drop-in, else the machine's defaults
	grep -qx 'PermitRootLogin no' \$dropin 2>/dev/null && echo 'permitrootlogin no' || echo 'permitrootlogin yes'
	grep -qx 'PasswordAuthentication no' \$dropin 2>/dev/null && echo 'passwordauthentication no' || echo 'passwordauthentication yes'
	echo 'port 22' ;;
esac
EOF
printf '#!/bin/bash\necho "systemctl $*" >>%q\n' "$out/calls" >"$bin/systemctl"
if [[ $sudo_fails == --sudo-fails ]]; then
	printf '#!/bin/bash\necho "runuser $*" >>%q\nexit 1\n' "$out/calls" >"$bin/runuser"
fi
chmod +x "$bin"/*
export PATH="$bin:$PATH"

# Steps 1-2 of the script, unindented.
sed -n '/^      #!\/bin\/bash$/,/^      # 3\. /p' "$user_data" | sed 's/^      //' >"$scratch/first-boot"
admin=$(sed -n "s/^admin='\(.*\)'$/\1/p" "$scratch/first-boot")

snapshot() {
	{ find /etc/passwd /etc/group /etc/shadow /etc/sudoers.d /etc/ssh/sshd_config.d "/home/$admin" \
		-printf '%p %m %u:%g %s %T@\n' 2>/dev/null || true; } | sort
}
for n in 1 2; do
	rc=0
	bash "$scratch/first-boot" >"$out/run$n.out" 2>&1 || rc=$?
	echo "$rc" >"$out/run$n.rc"
	snapshot >"$out/snap$n"
done
touch "$out/calls"
id "$admin" >"$out/id" 2>&1 || true
for f in "/home/$admin/.ssh/authorized_keys" /etc/sudoers.d/90-palaver-"$admin" /etc/ssh/sshd_config.d/10-palaver.conf; do
	[[ -e $f ]] || continue
	cp "$f" "$out/files/$(basename "$f")"
	stat -c '%a %U:%G' "$f" >"$out/files/$(basename "$f").stat"
done
stat -c '%a %U:%G' "/home/$admin/.ssh" >"$out/files/.ssh.stat" 2>/dev/null || true
