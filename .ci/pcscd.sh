#!/usr/bin/env bash
# Starts a real PC/SC stack for the interop tests: pcscd with the vsmartcard vpcd driver ("Virtual PCD 00 00" on
# 127.0.0.1:35963, "Virtual PCD 00 01" on 35964), plus the independent clients the tests drive (opensc-tool, pyscard).
# Idempotent: installs what is missing, leaves a pcscd that already answers alone, otherwise clears stale state and
# starts `pcscd --foreground` (root; never --auto-exit, which would stop it between test runs) in the background.
set -uo pipefail

packages=(pcscd vsmartcard-vpcd pcsc-tools opensc python3-pyscard)
need=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "pcscd.sh: ${need[*]} missing; run this script as root to install them" >&2
    exit 1
  fi
  echo "pcscd.sh: installing ${need[*]}"
  for attempt in 1 2 3 4 5 6 7 8 9 10; do   # another apt may hold the dpkg lock: wait, never kill it
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null && break
    echo "pcscd.sh: apt failed (attempt $attempt), retrying in 10 s"; sleep 10
  done
  command -v pcscd >/dev/null 2>&1 || { echo "pcscd.sh: could not install ${need[*]}" >&2; exit 1; }
fi

ready() {
  # The daemon answers once its socket exists; vpcd listens (port 35963 = 8C7B, state 0A) once pcscd has loaded the
  # driver. Check the listener in /proc rather than by connecting: a connection to vpcd is a card being inserted.
  [ -S /run/pcscd/pcscd.comm ] && grep -qE '^ *[0-9]+: [0-9A-F]+:8C7B [0-9A-F]+:0000 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

if pgrep -x pcscd >/dev/null 2>&1 && ready; then
  echo "pcscd.sh: pcscd already running"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "pcscd.sh: pcscd must be started as root" >&2
  exit 1
fi

for stale in $(pgrep -x pcscd || true); do
  # A pcscd that does not answer: stop that process (by id) before starting afresh.
  kill "$stale" 2>/dev/null
  for _ in $(seq 1 30); do kill -0 "$stale" 2>/dev/null || break; sleep 0.1; done
done
rm -rf /run/pcscd/*
mkdir -p /run/pcscd
log=${PCSCD_LOG:-/tmp/pcscd.log}
nohup pcscd --foreground >"$log" 2>&1 </dev/null &
echo "pcscd.sh: started pcscd (pid $!, log $log)"

for _ in $(seq 1 100); do
  if ready; then
    echo "pcscd.sh: pcscd ready"
    exit 0
  fi
  sleep 0.1
done
echo "pcscd.sh: pcscd did not become ready within 10 s; its log:" >&2
tail -20 "$log" >&2
exit 1
