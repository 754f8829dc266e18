#!/usr/bin/env bash
# Builds the `secureminutes` program an installation runs: linux-x64, self-contained (no .NET to install on
# the server), one executable file (plus SQLite's native library beside it), ReadyToRun-compiled as one composite
# image with the part of the runtime it runs on, so commands start fast (src/SecureMinutes/SecureMinutes.csproj says
# which part and why; ~3.5 minutes on 2 cores). The version comes from git.
#
#   deploy/publish.sh [OUT_DIR]        default OUT_DIR: artifacts/publish
#   sudo install -m 0755 OUT_DIR/secureminutes OUT_DIR/*.so /usr/local/bin/
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/publish}"

commits=$(git rev-list --count HEAD 2>/dev/null || echo 0)
described=$(git describe --tags --always --dirty 2>/dev/null || echo unknown)
rm -rf "$out"
dotnet publish src/SecureMinutes -c Release -r linux-x64 --self-contained true \
  -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:IncludeNativeLibrariesForSelfExtract=false \
  -p:Version="0.1.${commits}" -p:InformationalVersion="0.1.${commits}+${described}" -p:DebugType=none -p:IncludeSourceRevisionInInformationalVersion=false \
  -o "$out" -nologo -clp:ErrorsOnly
mv "$out/SecureMinutes" "$out/secureminutes"
echo "$out/secureminutes $("$out/secureminutes" --version)"
