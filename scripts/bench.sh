#!/usr/bin/env bash
# Speed and memory of casemetrics on generated exports (kept out of git in bench-data/).
# Usage: scripts/bench.sh [ROWS...]     (default: 1000000 10000000)
# Prints wall time, rows per second and peak memory (GNU time) for report, validate and wc -l.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=("${@:-1000000 10000000}")
[ $# -eq 0 ] && rows=(1000000 10000000)
cargo build --release --bin casemetrics --example gen_sample >&2
target="${CARGO_TARGET_DIR:-target}/release"
mkdir -p bench-data
printf '%-10s %-34s %10s %12s %12s %10s\n' rows command seconds rows/s peak_MiB file_MiB
for n in "${rows[@]}"; do
  file="bench-data/export-$n.csv"
  [ -f "$file" ] || "$target/examples/gen_sample" --rows "$n" --seed 7 --output "$file"
  size=$(( $(stat -L -c %s "$file") / 1048576 ))
  for command in "wc -l" "casemetrics validate" "casemetrics report" "casemetrics report --by court,month"; do
    case "$command" in
      "wc -l") run=(wc -l "$file") ;;
      casemetrics*) read -r -a words <<<"${command#casemetrics }"; run=("$target/casemetrics" "${words[0]}" "$file" "${words[@]:1}") ;;
    esac
    [ "${words[0]:-}" = report ] && run+=(--format json)
    stats=$( { /usr/bin/time -f '%e %M' "${run[@]}" >/dev/null; } 2>&1 | tail -1 )
    seconds=${stats% *}; kib=${stats#* }
    printf '%-10s %-34s %10s %12.0f %12.0f %10s\n' "$n" "$command" "$seconds" \
      "$(echo "$n / ($seconds + 0.0001)" | bc -l)" "$(echo "$kib / 1024" | bc -l)" "$size"
    words=()
  done
done
