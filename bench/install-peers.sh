#!/usr/bin/env bash
# Installs the peer tools compare.sh measures against: Suricata 7 (Debian 12 ships it only
# in bookworm-backports) and tshark. Idempotent; needs root.
set -euo pipefail
if command -v suricata >/dev/null && command -v tshark >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-peers: run as root to install suricata and tshark" >&2
  exit 1
fi
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
  cat > /etc/apt/sources.list.d/bookworm-backports.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get install -y -qq -t bookworm-backports suricata >/dev/null
apt-get install -y -qq tshark >/dev/null
suricata -V
tshark --version | head -1
