#!/usr/bin/env bash
# README command 2: installs what the tests need on Debian, builds, and runs every test.
# The integration tests use the real tools in ../shared/tools (SMTP sink, gpg/rnp/sqop peer checker, Thunderbird,
# BouncyCastle Java); Thunderbird's screenshots are kept in tests/artifacts/thunderbird/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d ../shared/tools ]; then
  echo "error: ../shared/tools is missing: the tests need the shared tools beside the repository" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian packages the shared tools need (see ../shared/tools/README.md).
packages=(gnupg rnp sq sqop time python3 python3-aiosmtpd python3-socks postfix dovecot-imapd openssl swaks
          libnet-ssleay-perl netcat-openbsd iproute2 postgresql strace
          thunderbird xvfb default-jdk-headless libbcpg-java libbcprov-java systemd)
# thunderbird xvfb: tb-open.sh shows every kind of mail in a real Thunderbird; default-jdk-headless libbcpg-java
# libbcprov-java: bc-check.sh (BouncyCastle Java, K-9/OpenKeychain's engine). OpenPGP.js comes from npm into a
# cache folder when the tests first need it (tests/SecureMinutes.IntegrationTests/Support/OpenPgpJs.cs).
# systemd: systemd-analyze verify checks deploy/systemd/ (nothing is started; no running systemd is needed).
# The web app's end-to-end tests: Debian's Chromium (driven by Playwright).
packages+=(chromium)
# The Etherpad the pad tests start is installed from npm: Debian's Node.js and npm, unless the machine has its own.
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  # No system Postfix/Dovecot: the tests start their own on loopback.
  echo 'postfix postfix/main_mailer_type select No configuration' | $SUDO debconf-set-selections
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  $SUDO rm -f /usr/sbin/policy-rc.d
fi

dotnet build SecureMinutes.sln -c Release -nologo -clp:ErrorsOnly
# The program as installations run it: the tests run the demo through it (Operations/PublishedProgramTests).
deploy/publish.sh artifacts/publish
dotnet test SecureMinutes.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@"
