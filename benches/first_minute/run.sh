#!/usr/bin/env bash
# The newcomer's first minute (DESIGN §9): a cold `cargo run --example tour` against a cold
# `cargo build -p lockwise`, in one run, each from an empty target directory of its own.
# Prints the crates each one compiled (cargo's "Compiling" lines), its wall-clock time and its
# CPU time (user + system of cargo and every rustc it ran), then the ratios. Target: the tour
# compiles at most 65 crates and takes at most 3x the time. On a shared machine the wall clock
# also counts waiting for a CPU, and the load changes between the two builds of a round: the
# CPU time, which load barely moves, says what the builds cost; run several rounds for the
# wall clock.
#
#   benches/first_minute/run.sh [--rounds N]    (default 1; rounds alternate A B A B ...)
#
# Scratch target dirs: /tmp/lockwise-first-minute/{lib,tour}, emptied before each round.
# The crates come from cargo's local registry cache: run any cargo command once beforehand so
# that nothing is downloaded while the clock runs. Reports the load average before and after,
# since on a shared machine the wall clock also counts waiting for a CPU.
set -euo pipefail

rounds=1
while (($#)); do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
scratch=/tmp/lockwise-first-minute
cd "$root"
cargo fetch --quiet   # downloads, if any, stay out of the timings
unset RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER

# cold NAME CARGO-ARGS...: empties NAME's target dir, runs cargo (its output in
# $scratch/NAME.log), and sets `crates`, `secs` (wall clock) and `cpu` (user + system).
cold() {
    local name=$1 dir=$scratch/$1 log=$scratch/$1.log times=$scratch/$1.time
    shift
    rm -rf "$dir"
    if ! CARGO_TARGET_DIR=$dir /usr/bin/time -o "$times" -f '%e %U %S' cargo "$@" >"$log" 2>&1; then
        cat "$log" >&2
        exit 1
    fi
    crates=$(grep -c '^ *Compiling ' "$log")
    read -r secs user sys <"$times"
    cpu=$(echo "$user + $sys" | bc)
}

mkdir -p "$scratch"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-26s %7s %9s %9s\n' round command crates "wall (s)" "CPU (s)"
for ((round = 1; round <= rounds; round++)); do
    cold lib build -p lockwise
    lib_secs=$secs lib_cpu=$cpu
    printf '%-6s %-26s %7s %9.1f %9.1f\n' "$round" "cargo build -p lockwise" "$crates" "$secs" "$cpu"
    cold tour run --example tour
    printf '%-6s %-26s %7s %9.1f %9.1f\n' "$round" "cargo run --example tour" "$crates" "$secs" "$cpu"
    printf '%-6s tour / build: %.2fx the wall clock, %.2fx the CPU time\n' "$round" \
        "$(echo "$secs / $lib_secs" | bc -l)" "$(echo "$cpu / $lib_cpu" | bc -l)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
