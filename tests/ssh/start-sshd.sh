#!/usr/bin/env bash
# Runs a private OpenSSH server on 127.0.0.1:PORT in the foreground for the SSH compute tests, with its own config,
# host key and a test user (sftest) that logs in with a key only. Needs root and the Debian package openssh-server.
# Writes STATE_DIR/user_key (the client key) and STATE_DIR/known_hosts (the server's key).
#   tests/ssh/start-sshd.sh STATE_DIR PORT
set -euo pipefail
state=$(realpath -m "${1:?usage: start-sshd.sh STATE_DIR PORT}")
port=${2:?usage: start-sshd.sh STATE_DIR PORT}
mkdir -p "$state" /run/sshd
[ -f "$state/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$state/host_key"
[ -f "$state/user_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$state/user_key"
id sftest >/dev/null 2>&1 || useradd -m -s /bin/bash sftest
usermod -p '*' sftest   # a locked account ('!') is refused even with a key; '*' has no password but can log in
home=$(getent passwd sftest | cut -d: -f6)
mkdir -p "$home/.ssh"
touch "$home/.ssh/authorized_keys"
# Added, not replaced: test servers of other state folders (other runs on this machine) keep their keys.
grep -qxF "$(cat "$state/user_key.pub")" "$home/.ssh/authorized_keys" || cat "$state/user_key.pub" >> "$home/.ssh/authorized_keys"
chown -R sftest: "$home/.ssh"; chmod 700 "$home/.ssh"; chmod 600 "$home/.ssh/authorized_keys"
cat > "$state/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $state/host_key
PidFile none
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers sftest
Subsystem sftp internal-sftp
CONF
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$state/host_key.pub")" > "$state/known_hosts"
# In the foreground (-D), logging to stderr (-e): the caller owns this process (exec keeps its pid), waits for
# "Server listening on 127.0.0.1 port PORT" and ends it by that pid; a taken port ends it with "Cannot bind any address".
exec /usr/sbin/sshd -D -e -f "$state/sshd_config"
