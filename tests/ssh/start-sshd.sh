#!/usr/bin/env bash
# Starts a private OpenSSH server on 127.0.0.1:2222 for the SSH compute tests, with its own config, host key and a
# test user (sftest) that logs in with a key only. Needs root and the Debian package openssh-server. Writes
# STATE_DIR/user_key (the client key) and STATE_DIR/known_hosts (the server's key). Idempotent.
#   tests/ssh/start-sshd.sh STATE_DIR
set -euo pipefail
state=$(realpath -m "${1:?usage: start-sshd.sh STATE_DIR}")
mkdir -p "$state" /run/sshd
[ -f "$state/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$state/host_key"
[ -f "$state/user_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$state/user_key"
id sftest >/dev/null 2>&1 || useradd -m -s /bin/bash sftest
usermod -p '*' sftest   # a locked account ('!') is refused even with a key; '*' has no password but can log in
home=$(getent passwd sftest | cut -d: -f6)
mkdir -p "$home/.ssh"
cp "$state/user_key.pub" "$home/.ssh/authorized_keys"
chown -R sftest: "$home/.ssh"; chmod 700 "$home/.ssh"; chmod 600 "$home/.ssh/authorized_keys"
cat > "$state/sshd_config" <<CONF
Port 2222
ListenAddress 127.0.0.1
HostKey $state/host_key
PidFile $state/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers sftest
Subsystem sftp internal-sftp
CONF
echo "[127.0.0.1]:2222 $(cut -d' ' -f1,2 "$state/host_key.pub")" > "$state/known_hosts"
if [ -f "$state/sshd.pid" ] && kill -0 "$(cat "$state/sshd.pid")" 2>/dev/null; then echo "sshd already running"; exit 0; fi
pkill -f 'sshd.* -f /.*sshd_config' 2>/dev/null || true   # a test sshd of another state folder holds the port
sleep 0.2
/usr/sbin/sshd -f "$state/sshd_config"
for _ in $(seq 1 50); do
  if (echo > /dev/tcp/127.0.0.1/2222) 2>/dev/null; then echo "sshd up"; exit 0; fi
  sleep 0.2
done
echo "sshd did not start" >&2; exit 1
