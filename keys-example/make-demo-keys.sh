#!/bin/bash
# make-demo-keys.sh [OUTDIR]
#
# !!! DEMO-ONLY !!!  Regenerates the PUBLIC DEMO OpenPGP keys of SecureMinutes.
# The secret keys written here have NO passphrase and are committed to the
# repository: anybody can read them.  Never use them for real mail.
#
# OUTDIR defaults to the directory of this script (keys-example/).
# For every identity NAME it writes:
#     OUTDIR/NAME.pub.asc   armored public certificate
#     OUTDIR/NAME.sec.asc   armored secret key, NO passphrase
# and OUTDIR/fingerprints.tsv (name, primary fingerprint, email; with a header line).
#
# Identities:
#   list       Ed25519 [SC] + Cv25519 [E]   "AG démo SecureMinutes <ag-demo@lists.example.test>"
#              (the accent is deliberate: it exercises UTF-8 user IDs)
#   camille    RSA-3072 [SC] + RSA-3072 [E] "Camille Martin <camille@members.example.test>"
#   dominique  Ed25519 [SC] + Cv25519 [E]   "Dominique Leroy <dominique@members.example.test>"
#   sacha      made with Sequoia `sq key generate` (default suite cv25519:
#              Ed25519 certification primary + signing, authentication and
#              Cv25519 encryption subkeys)  "Sacha Nguyen <sacha@members.example.test>"
#
# Needs: gnupg 2.2 (gpg, gpgconf, gpg-agent), sq 0.27.
#
# Determinism: key material (and so fingerprints) is random, but every timestamp
# is fixed (creation 2026-01-01 00:00:00 UTC, no expiry) via --faked-system-time,
# the batch "Creation-Date" parameter and sq --creation-time.  Running the script
# again changes the fingerprints; that is expected.
#
# Everything happens in a private, throw-away GNUPGHOME (never the user's).

set -euo pipefail
OUT=${1:-$(dirname "$0")}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# C.UTF-8 so that the UTF-8 user ID ("démo") goes through untouched.
export TZ=UTC LC_ALL=C.UTF-8
unset GNUPGHOME

# Private GnuPG home.  Short path: gpg-agent socket paths are length-limited.
GH=$(mktemp -d /tmp/demokeys.XXXXXX)
chmod 700 "$GH"
cleanup() { gpgconf --homedir "$GH" --kill gpg-agent >/dev/null 2>&1 || true; rm -rf "$GH"; }
trap cleanup EXIT

T=20260101T000000   # creation time of every demo key (UTC)

# g args...  -> gpg in our private home with time frozen at $T ("!" = frozen)
g() { gpg --homedir "$GH" --batch --no-tty --quiet --pinentry-mode loopback --passphrase '' \
          --faked-system-time "$T!" "$@" 2>>"$GH/gpg.log"; }

# fpr EMAIL -> primary fingerprint (gpg prints it uppercase, no spaces)
fpr() { gpg --homedir "$GH" --batch --with-colons --list-keys "<$1>" 2>/dev/null \
          | awk -F: '$1=="fpr"{print $10; exit}'; }

# genkey "batch parameter lines"   (protection off, commit appended)
genkey() { printf '%%no-protection\n%s\n%%commit\n' "$1" | g --gen-key; }

# export_key NAME EMAIL
export_key() { local name=$1 email=$2 f; f=$(fpr "$email")
               [ -n "$f" ] || { echo "no key for $email" >&2; cat "$GH/gpg.log" >&2; exit 1; }
               g --armor --export "$f" > "$OUT/$name.pub.asc"
               g --armor --export-secret-keys "$f" > "$OUT/$name.sec.asc"; }

echo "[make-demo-keys] generating DEMO-ONLY keys into $OUT"

ECC="Key-Type: EDDSA
Key-Curve: ed25519
Key-Usage: sign,cert
Subkey-Type: ECDH
Subkey-Curve: cv25519
Subkey-Usage: encrypt"

# 1. list key: Ed25519 [SC] + Cv25519 [E], UTF-8 user ID
genkey "$ECC
Name-Real: AG démo SecureMinutes
Name-Email: ag-demo@lists.example.test
Creation-Date: $T
Expire-Date: 0"
export_key list ag-demo@lists.example.test

# 2. camille: RSA-3072 [SC] + RSA-3072 [E]
genkey "Key-Type: RSA
Key-Length: 3072
Key-Usage: sign,cert
Subkey-Type: RSA
Subkey-Length: 3072
Subkey-Usage: encrypt
Name-Real: Camille Martin
Name-Email: camille@members.example.test
Creation-Date: $T
Expire-Date: 0"
export_key camille camille@members.example.test

# 3. dominique: Ed25519 [SC] + Cv25519 [E]
genkey "$ECC
Name-Real: Dominique Leroy
Name-Email: dominique@members.example.test
Creation-Date: $T
Expire-Date: 0"
export_key dominique dominique@members.example.test

# 4. sacha: Sequoia-generated, default cipher suite (cv25519).  sq refuses to
#    overwrite, so remove old files first; the revocation certificate is not kept.
rm -f "$OUT/sacha.sec.asc" "$OUT/sacha.pub.asc"
sq key generate --userid "Sacha Nguyen <sacha@members.example.test>" --cipher-suite cv25519 \
   --creation-time "${T}Z" --expires-in never \
   --export "$OUT/sacha.sec.asc" --rev-cert "$GH/sacha.rev"
sq key extract-cert --output "$OUT/sacha.pub.asc" "$OUT/sacha.sec.asc"

# ---------------------------------------------------------------- manifest
# fingerprints.tsv: read back from the exported certificates in a scratch home,
# so the sq key is covered too.
H2=$(mktemp -d /tmp/demokeys-ls.XXXXXX)
chmod 700 "$H2"
{
  printf 'name\tfingerprint\temail\n'
  for entry in list:ag-demo@lists.example.test camille:camille@members.example.test \
               dominique:dominique@members.example.test sacha:sacha@members.example.test; do
    n=${entry%%:*} e=${entry#*:}
    gpg --homedir "$H2" --batch --quiet --import "$OUT/$n.pub.asc" 2>/dev/null
    f=$(gpg --homedir "$H2" --batch --with-colons --list-keys "<$e>" 2>/dev/null \
          | awk -F: '$1=="fpr"{print toupper($10); exit}')
    [ -n "$f" ] || { echo "cannot read back fingerprint of $n" >&2; exit 1; }
    printf '%s\t%s\t%s\n' "$n" "$f" "$e"
  done
} > "$OUT/fingerprints.tsv"
gpgconf --homedir "$H2" --kill gpg-agent >/dev/null 2>&1 || true
rm -rf "$H2"

chmod 644 "$OUT"/*.asc "$OUT/fingerprints.tsv"
echo "[make-demo-keys] done (DEMO-ONLY keys, never use for real mail):"
column -t -s $'\t' "$OUT/fingerprints.tsv" 2>/dev/null || cat "$OUT/fingerprints.tsv"
