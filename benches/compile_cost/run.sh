#!/usr/bin/env bash
# Compile cost of #[guarded], against the same code pasted in and the code a user would write
# by hand. Regenerates the "Compile cost" table of BENCHMARKS.md.
#
#   benches/compile_cost/run.sh [--runs N] [--structs N] [--experiments] [--fresh-runs N]
#
#   --runs N         timed `cargo check`s per crate, best kept (default 3)
#   --structs N      structs per generated crate (default 200)
#   --experiments    also time edits of the pasted crate (made by gen.py on its text):
#                      deref         the wrapper keeps `new`, `get_mut`, `into_inner` and its
#                                    trait impls, and forwards the rest through
#                                    `Deref<Target = lockwise::Guarded<State, Rw>>`
#                      deref_nodoc   `deref` without `#[doc]` attributes
#                      deref_bare    `deref` without the trait impls and with only `new`
#                      pasted_nodoc  the pasted crate without `#[doc]` attributes
#                    and `empty`, a crate without structs: cargo's and rustc's fixed cost
#   --fresh-runs N   clean `cargo build`s of a crate that only depends on lockwise (default 3;
#                    0 skips it)
#
# Needs the pinned toolchain (rust-toolchain.toml) with rustfmt, and nightly for
# `-Zunpretty=expanded`. Writes only under target/compile_cost/; the table also goes to
# target/compile_cost/results.md.
#
# The crates: `macro` (N `#[guarded(rw)]` structs, 5 fields and one method each), `pasted`
# (rustc's `-Zunpretty=expanded` output of `macro`, minus the prelude lines, with the built-in
# derives put back as `#[derive]`: their expansions call unstable helpers, and all crates pay
# for them alike) and `hand` (`struct S(parking_lot::RwLock<SState>)`, the same method).
#
# What is timed: `cargo check` of one generated crate after `cargo clean -p <crate>`, in a
# target dir where its dependencies (lockwise, syn, parking_lot, ...) are already built. So
# the figure is this crate's own check (macro expansion included), not its dependencies', and
# `cargo clean -p` also drops the crate's incremental cache, so nothing is reused. The crates
# take turns (A B C A B C ...) so that machine noise hits all of them alike; the best run of
# each is kept. Wall clock and CPU time (user + system, cargo and rustc) are both reported:
# on a shared machine the wall clock also counts waiting for a CPU. Both include cargo's own
# start-up (the `empty` experiment shows how much). "Lines per struct": non-blank rustfmt-ed
# lines, `use_all` left out.
set -euo pipefail

runs=3 structs=200 experiments=0 fresh_runs=3
while (($#)); do
    case $1 in
        --runs) runs=$2; shift 2 ;;
        --structs) structs=$2; shift 2 ;;
        --experiments) experiments=1; shift ;;
        --fresh-runs) fresh_runs=$2; shift 2 ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/target/compile_cost
gen() { python3 "$here/gen.py" "$@"; }
# The generated crates live under the workspace, so rustup picks the pinned toolchain from
# rust-toolchain.toml; the target dir is set explicitly so that a CARGO_TARGET_DIR in the
# environment cannot send artifacts elsewhere.
export CARGO_TARGET_DIR=$out/target
unset RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "needs a nightly toolchain for -Zunpretty=expanded: rustup toolchain install nightly" >&2
    exit 1
fi

rm -rf "$out/crates" "$out/logs"
mkdir -p "$out/crates" "$out/logs"

# new_crate NAME SOURCE [extra dependency lines]: a crate of its own (its own [workspace], so
# the lockwise workspace does not claim it) depending on lockwise by path, with the workspace's
# Cargo.lock so that it builds the same dependency versions.
new_crate() {
    local dir=$out/crates/$1
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "cost_$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
lockwise = { path = "$root" }
${3:-}

[workspace]
EOF
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
    cp "$2" "$dir/src/lib.rs"
    rustfmt --edition 2024 "$dir/src/lib.rs"
    # Settles the lock file (drops what this crate does not use) and downloads what is
    # missing, so that the timed runs can be --frozen.
    (cd "$dir" && cargo fetch --quiet)
}

echo "== generating $structs structs per crate under ${out#"$root"/}/crates"
gen macro "$structs" >"$out/macro.rs"
gen hand "$structs" >"$out/hand.rs"
new_crate macro "$out/macro.rs"
new_crate hand "$out/hand.rs" 'parking_lot = "0.13"'

# The expansion, pasted. Its own target dir: nightly artifacts cannot be shared with stable.
(cd "$out/crates/macro" &&
    CARGO_TARGET_DIR=$out/nightly-target cargo +nightly rustc --frozen --quiet --profile=check \
        -- -Zunpretty=expanded) >"$out/expanded.rs"
gen paste <"$out/expanded.rs" >"$out/pasted.rs"
new_crate pasted "$out/pasted.rs"
crates=(macro pasted hand)

if ((experiments)); then
    gen deref <"$out/crates/pasted/src/lib.rs" >"$out/deref.rs"
    gen no-doc <"$out/deref.rs" >"$out/deref_nodoc.rs"
    gen bare <"$out/deref.rs" >"$out/deref_bare.rs"
    gen no-doc <"$out/crates/pasted/src/lib.rs" >"$out/pasted_nodoc.rs"
    gen empty >"$out/empty.rs"
    variants=(deref deref_nodoc deref_bare pasted_nodoc empty)
    for name in "${variants[@]}"; do new_crate "$name" "$out/$name.rs"; done
    crates+=("${variants[@]}")
fi

# timed LOG DIR CMD...: runs CMD in DIR with its output in LOG; prints "wall_ms cpu_ms" (cpu:
# user + system time of cargo and the rustc it runs). On a loaded machine the wall clock
# includes waiting for a CPU while the CPU time barely moves, so both are reported.
timed() {
    local log=$1 dir=$2 t
    shift 2
    if ! t=$( { TIMEFORMAT='%3R %3U %3S'; time (cd "$dir" && "$@" >"$log" 2>&1); } 2>&1); then
        cat "$log" >&2
        echo "failed in $dir: $*" >&2
        exit 1
    fi
    if grep -q 'Blocking waiting' "$log"; then
        echo "   note: waited for a cargo lock held by another process (see $log)" >&2
    fi
    awk -v t="$t" 'BEGIN { split(t, f, " "); printf "%d %d", f[1] * 1000, (f[2] + f[3]) * 1000 }'
}

# check_crate NAME LOG: a clean check of this crate only; prints "wall_ms cpu_ms".
check_crate() {
    (cd "$out/crates/$1" && cargo clean --frozen --quiet -p "cost_$1")
    timed "$2" "$out/crates/$1" cargo check --frozen
}

echo "== warm-up: building the dependencies once, checking that every crate compiles"
for name in "${crates[@]}"; do
    check_crate "$name" "$out/logs/$name.warmup" >/dev/null
    warnings=$(grep -c '^warning' "$out/logs/$name.warmup" || true)
    ((warnings == 0)) || echo "   note: $name has $warnings warning lines (see logs/$name.warmup)"
done

echo "== timing: $runs rounds of ${crates[*]} (wall/CPU ms)"
declare -A wall cpu walls
for ((round = 1; round <= runs; round++)); do
    line=''
    for name in "${crates[@]}"; do
        times=$(check_crate "$name" "$out/logs/$name.$round")
        read -r w c <<<"$times"
        walls[$name]+="${walls[$name]:+ }$w"
        if [[ -z ${wall[$name]:-} ]] || ((w < wall[$name])); then wall[$name]=$w; fi
        if [[ -z ${cpu[$name]:-} ]] || ((c < cpu[$name])); then cpu[$name]=$c; fi
        line+="$name $w/$c  "
    done
    echo "   round $round: $line"
done

if ((fresh_runs > 0)); then
    echo "== clean cargo build (debug) of a crate that only depends on lockwise, $fresh_runs run(s)"
    printf '#[lockwise::guarded(rw)]\n#[derive(Debug, Default)]\npub struct Counter {\n    pub hits: u64,\n}\n' >"$out/fresh.rs"
    new_crate fresh "$out/fresh.rs"
    fresh_wall='' fresh_cpu='' fresh_walls=''
    for ((round = 1; round <= fresh_runs; round++)); do
        rm -rf "$out/fresh-target"
        times=$(CARGO_TARGET_DIR=$out/fresh-target \
            timed "$out/logs/fresh.$round" "$out/crates/fresh" cargo build --frozen)
        read -r w c <<<"$times"
        echo "   run $round: $w/$c ms"
        fresh_walls+="${fresh_walls:+ }$w"
        if [[ -z $fresh_wall ]] || ((w < fresh_wall)); then fresh_wall=$w; fi
        if [[ -z $fresh_cpu ]] || ((c < fresh_cpu)); then fresh_cpu=$c; fi
    done
    fresh_units=$(grep -c '^ *Compiling' "$out/logs/fresh.1" || true)
    rm -rf "$out/fresh-target"
fi

secs() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
describe() {
    case $1 in
        macro) echo "\`#[guarded(rw)]\`" ;;
        pasted) echo "its expansion, pasted" ;;
        hand) echo "by hand: \`struct S(parking_lot::RwLock<SState>)\`" ;;
        deref) echo "deref: pasted, forwarding through \`Deref<Target = Guarded<..>>\` (experiment)" ;;
        deref_nodoc) echo "deref without doc comments (experiment)" ;;
        deref_bare) echo "deref with only the wrapper, \`new\` and \`Deref\` (experiment)" ;;
        empty) echo "no structs: the fixed cost (experiment)" ;;
        pasted_nodoc) echo "pasted without doc comments (experiment)" ;;
    esac
}

{
    echo "$structs structs with 5 fields and one method each; \`cargo check\`, clean, best of $runs"
    echo "(wall clock and CPU time, each the best run); $(rustc --version), $(nproc) CPUs"
    echo "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))."
    echo
    echo "| crate | wall (s) | ÷ pasted | ÷ hand | CPU (s) | ÷ pasted | ÷ hand | lines per struct |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for name in "${crates[@]}"; do
        lines=$(gen lines "$structs" <"$out/crates/$name/src/lib.rs")
        echo "| $(describe "$name") | $(secs "${wall[$name]}")" \
            "| $(ratio "${wall[$name]}" "${wall[pasted]}") | $(ratio "${wall[$name]}" "${wall[hand]}")" \
            "| $(secs "${cpu[$name]}")" \
            "| $(ratio "${cpu[$name]}" "${cpu[pasted]}") | $(ratio "${cpu[$name]}" "${cpu[hand]}")" \
            "| $lines |"
    done
    echo
    echo "Wall clock of every run (s): $(for name in "${crates[@]}"; do
        printf '%s %s; ' "$name" "$(for ms in ${walls[$name]}; do secs "$ms"; echo; done | paste -sd' ')"
    done | sed 's/; $//')."
    if ((fresh_runs > 0)); then
        echo
        echo "Clean \`cargo build\` (debug) of a crate that only depends on lockwise ($fresh_units crates):" \
            "$(secs "$fresh_wall") s wall, $(secs "$fresh_cpu") s CPU (best of $fresh_runs;" \
            "wall of every run: $(for ms in $fresh_walls; do secs "$ms"; echo; done | paste -sd' ') s)."
    fi
} | tee "$out/results.md"
