#!/usr/bin/env bash
# README's benchmark command (issue 12): builds Release, publishes the secureminutes program as README installs it
# (deploy/publish.sh), then prints the performance table and writes it to bench-results.md.
# Options: --sections 1,2,3,4,4b,5  --sizes 250,2500,10000  --import 10000  --repeat 3
#   --cache DIR (member keys, made once: ~/.cache/secureminutes-bench)  --out FILE  --program PATH (another secureminutes)
# Sections: 1 crypto+MIME path, 2 gpg/sqop baseline, 3 floor, 4 end to end on SQLite, 4b end to end on PostgreSQL
#   with two `worker` processes (a fresh database per size on ../shared/tools/postgres/pg.sh), 5 import and commands.
#   PostgreSQL alone: tests/bench.sh --sections 4b --sizes 2500,10000
# Needs gpg and sqop (and postgresql for 4b: tests/run.sh installs them). Linux x64 only. Takes ~30-40 min on 2 cores,
# plus ~10 min the first time to make the 10,000 member keys.
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,10p' "$0"; exit 0 ;; esac
cd "$(dirname "$0")/.."
dotnet build SecureMinutes.sln -c Release -nologo -clp:ErrorsOnly
# The program exactly as installations get it (self-contained, composite ReadyToRun): ~3.5 minutes on 2 cores.
deploy/publish.sh tests/SecureMinutes.Benchmarks/bin/secureminutes-published
# The caller's options first: the benchmark takes the first --out and --program it is given.
exec dotnet tests/SecureMinutes.Benchmarks/bin/Release/net10.0/SecureMinutes.Benchmarks.dll "$@" --out bench-results.md \
  --program tests/SecureMinutes.Benchmarks/bin/secureminutes-published/secureminutes
