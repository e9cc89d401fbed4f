#!/usr/bin/env bash
# Prints Jinka's crypto throughput next to `openssl speed` from the same run, as ratios (Jinka / OpenSSL).
# Both sides run single-threaded, one after the other, on this machine: on a shared 2-core box quote the ratios,
# not the absolute figures. Usage: bench/compare-openssl.sh [--seconds N]   (default 3 s per openssl test)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=3
[ "${1:-}" = "--seconds" ] && seconds=${2:?}
command -v openssl >/dev/null || { echo "compare-openssl: openssl is not on PATH" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== openssl speed ($(openssl version | cut -d' ' -f1-2), ${seconds}s per test)" >&2
openssl speed -seconds "$seconds" -bytes 16384 -evp sm3 2>/dev/null >"$out/sm3.txt"
openssl speed -seconds "$seconds" -bytes 16384 -evp sm4-ecb 2>/dev/null >"$out/sm4.txt"
openssl speed -seconds "$seconds" -bytes 16384 -evp des-ede3 2>/dev/null >"$out/des3.txt"
openssl speed -seconds "$seconds" sm2 2>/dev/null >"$out/sm2.txt"
openssl speed -seconds "$seconds" rsa1024 2>/dev/null >"$out/rsa.txt"

echo "== Jinka (BenchmarkDotNet, short job)" >&2
dotnet run -c Release --project bench/Jinka.Benchmarks -- \
  --filter '*SymmetricBenchmarks.Sm4Ecb*' '*SymmetricBenchmarks.TripleDesEcb*' \
           '*AsymmetricBenchmarks.Sm3*' '*AsymmetricBenchmarks.Sm2*' '*AsymmetricBenchmarks.Rsa1024Sign*' \
  --job short --exporters json --artifacts "$out/bdn" >"$out/bdn.log" 2>&1 \
  || { tail -30 "$out/bdn.log" >&2; exit 1; }

python3 - "$out" <<'PY'
import glob, json, re, sys
out = sys.argv[1]

def evp_mbps(name):   # "sm3   123456.78k" in 1000s of bytes per second, one column for -bytes 16384
    for line in open(f"{out}/{name}.txt"):
        m = re.match(r"^\S+\s+([\d.]+)k\s*$", line.strip())
        if m:
            return float(m.group(1)) / 1000.0
    raise SystemExit(f"compare-openssl: no figure in openssl's {name} output")

def last_two(name, pattern):  # sign/s and verify/s are the last two numbers of the matching line
    for line in open(f"{out}/{name}.txt"):
        if re.search(pattern, line):
            nums = re.findall(r"[\d.]+", line)
            return float(nums[-2]), float(nums[-1])
    raise SystemExit(f"compare-openssl: no figure in openssl's {name} output")

medians = {}
for path in glob.glob(f"{out}/bdn/results/*.json"):
    for b in json.load(open(path))["Benchmarks"]:
        medians[b["Method"]] = b["Statistics"]["Median"]  # nanoseconds per operation

def mbps(method):  # the symmetric and SM3 benchmarks process 16 KiB per operation
    return 16384 / medians[method] * 1e3 if method in medians else float("nan")

def per_s(method):
    return 1e9 / medians[method] if method in medians else float("nan")

sm2_sign, sm2_verify = last_two("sm2", r"SM2")
rsa_sign, _ = last_two("rsa", r"^rsa\s+1024")
rows = [
    ("SM3 (MB/s)", mbps("Sm3Jinka"), evp_mbps("sm3")),
    ("SM4-ECB (MB/s)", mbps("Sm4EcbManaged"), evp_mbps("sm4")),
    ("SM4-ECB, BouncyCastle (MB/s)", mbps("Sm4EcbBouncyCastle"), evp_mbps("sm4")),
    ("3DES-ECB (MB/s)", mbps("TripleDesEcb"), evp_mbps("des3")),
    ("SM2 sign (/s)", per_s("Sm2Sign"), sm2_sign),
    ("SM2 verify (/s)", per_s("Sm2Verify"), sm2_verify),
    ("RSA-1024 sign (/s)", per_s("Rsa1024Sign"), rsa_sign),
]
print(f"{'operation':32} {'Jinka':>12} {'OpenSSL':>12} {'ratio':>7}")
for name, ours, theirs in rows:
    print(f"{name:32} {ours:12.1f} {theirs:12.1f} {ours / theirs:7.2f}x")
print("Jinka figures are BenchmarkDotNet medians; OpenSSL's are its own averages over the run.")
PY
