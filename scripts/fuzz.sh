#!/usr/bin/env bash
# make fuzz / make fuzz-smoke: libFuzzer with AddressSanitizer (and LeakSanitizer) over
# parse + validate + emit, and the config reader + render (Sources/menort-fuzz).
#
#   scripts/fuzz.sh SECONDS
#
# The modules are compiled with swiftc directly: SwiftPM 6.3 passes -sanitize=fuzzer but its
# objects come out without coverage counters (libFuzzer then reports "no interesting
# inputs"), so the libraries and the entry point are built here, in dependency order.
# Seeds: the project's own templates and fixtures, plus MENORT_CORPUS when present.
# Any crash, leak, out-of-memory or input slower than 10 s fails the run; the input is kept
# in .build-fuzz/artifacts for a regression test (replay with .build/debug/menort-fuzz FILE).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
out=.build-fuzz/manual
mkdir -p "$out" .build-fuzz/corpus .build-fuzz/artifacts

# -package-name: `package` declarations (Contract's unchecked RouteKey) need it, as SwiftPM passes it.
flags=(-O -wmo -sanitize=fuzzer,address -parse-as-library -package-name menort -I Sources/CYAML -I "$out")
echo "fuzz: building the instrumented target"
swiftc "${flags[@]}" -module-name YAML -emit-module-path "$out/YAML.swiftmodule" -c Sources/YAML/*.swift -o "$out/YAML.o"
swiftc "${flags[@]}" -module-name CloudFormation -emit-module-path "$out/CloudFormation.swiftmodule" \
  -c Sources/CloudFormation/*.swift -o "$out/CloudFormation.o"
swiftc "${flags[@]}" -module-name Contract -emit-module-path "$out/Contract.swiftmodule" \
  -c Sources/Contract/*.swift -o "$out/Contract.o"
swiftc "${flags[@]}" -module-name Validation -emit-module-path "$out/Validation.swiftmodule" \
  -c $(find Sources/Validation -name '*.swift' | sort) -o "$out/Validation.o"
swiftc "${flags[@]}" -module-name RealtimeStack -emit-module-path "$out/RealtimeStack.swiftmodule" \
  -c Sources/RealtimeStack/*.swift -o "$out/RealtimeStack.o"
swiftc -O -sanitize=fuzzer,address -parse-as-library -D MENORT_FUZZ -I Sources/CYAML -I "$out" \
  Sources/menort-fuzz/FuzzTarget.swift "$out/YAML.o" "$out/CloudFormation.o" "$out/Contract.o" "$out/Validation.o" "$out/RealtimeStack.o" -lyaml \
  -o "$out/menort-fuzz" 2> >(grep -v "Cannot export local symbol" >&2)

seeds=.build-fuzz/seeds
rm -rf "$seeds" && mkdir -p "$seeds"
find templates Tests/Fixtures -name '*.yaml' -o -name '*.json' | while read -r f; do cp "$f" "$seeds/$(echo "$f" | tr / _)"; done
corpus="${MENORT_CORPUS:-../shared/corpus}"
if [ -d "$corpus/sam/input" ]; then
  cp "$corpus"/sam/input/*.yaml "$seeds/" 2>/dev/null || true
  cp "$corpus"/cfn-lint/good/* "$corpus"/cfn-lint/bad/* "$seeds/" 2>/dev/null || true
fi
echo "fuzz: $(ls "$seeds" | wc -l) seeds; running for ${seconds}s"
# The fuzzer's own exit status, read before anything else runs: with pipefail, a `|| true`
# after the pipeline would run `true` on a failure and PIPESTATUS would then be its 0.
set +e
"$out/menort-fuzz" .build-fuzz/corpus "$seeds" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 -artifact_prefix=.build-fuzz/artifacts/ -print_final_stats=1 2>&1 | tee .build-fuzz/last.log \
  | grep -E "INITED|DONE|ERROR|SUMMARY|crash|leak|timeout|stat::number_of_executed_units|stat::peak_rss"
statuses=("${PIPESTATUS[@]}")
set -e
status=${statuses[0]}
if [ "$status" -ne 0 ]; then
  echo "fuzz: FAILED (exit $status); inputs kept in .build-fuzz/artifacts:" >&2
  ls -l .build-fuzz/artifacts >&2
  exit 1
fi
echo "fuzz: ${seconds}s clean"
