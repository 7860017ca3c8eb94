#!/usr/bin/env bash
# Compile cost of #[guarded] and #[sharded], against the same code pasted in and the code a
# user would write by hand. Regenerates the "Compile cost" table of BENCHMARKS.md.
#
#   benches/compile_cost/run.sh [--runs N] [--structs N] [--experiments] [--fresh-runs N]
#                               [--before REV]
#
#   --runs N         timed `cargo check`s per crate, the median reported (default 5)
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
#   --before REV     also time the `macro` and `sharded` crates against lockwise as of git
#                    revision REV (extracted with `git archive`), in the same rounds: a
#                    before/after that machine noise hits alike
#
# Needs the pinned toolchain (rust-toolchain.toml) with rustfmt, and nightly for
# `-Zunpretty=expanded`. Writes only under target/compile_cost/; the table also goes to
# target/compile_cost/results.md.
#
# The crates: `macro` (N `#[guarded(rw)]` structs, 5 fields and one method each), `pasted`
# (rustc's `-Zunpretty=expanded` output of `macro`, minus the prelude lines, with the built-in
# derives put back as `#[derive]`: their expansions call unstable helpers, and all crates pay
# for them alike) and `hand` (`struct S(parking_lot::RwLock<SState>)`, the same method); and
# the same three for `#[sharded(16)]` (`sharded`, `sharded_pasted`, `sharded_hand`: a
# `HashMap` field and a counter, 16 `parking_lot::RwLock`s and std's `RandomState` by hand).
#
# What is timed: `cargo check` of one generated crate after `cargo clean -p <crate>`, in a
# target dir where its dependencies (lockwise, syn, parking_lot, ...) are already built. So
# the figure is this crate's own check (macro expansion included), not its dependencies', and
# `cargo clean -p` also drops the crate's incremental cache, so nothing is reused. The crates
# take turns (A B C A B C ...) so that machine noise hits all of them alike; the median run
# of each is reported, with the load average of every round. Wall clock and CPU time (user + system, cargo and rustc) are both reported:
# on a shared machine the wall clock also counts waiting for a CPU. Both include cargo's own
# start-up (the `empty` experiment shows how much). "Lines per struct": non-blank rustfmt-ed
# lines, `use_all` left out.
set -euo pipefail

runs=5 structs=200 experiments=0 fresh_runs=3 before=
while (($#)); do
    case $1 in
        --runs) runs=$2; shift 2 ;;
        --structs) structs=$2; shift 2 ;;
        --experiments) experiments=1; shift ;;
        --fresh-runs) fresh_runs=$2; shift 2 ;;
        --before) before=$2; shift 2 ;;
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

# new_crate NAME SOURCE [extra dependency lines] [lockwise root]: a crate of its own (its own
# [workspace], so the lockwise workspace does not claim it) depending on lockwise by path (this
# checkout unless given), with the workspace's Cargo.lock so that it builds the same dependency
# versions.
new_crate() {
    local dir=$out/crates/$1 lockwise=${4:-$root}
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "cost_$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
lockwise = { path = "$lockwise" }
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
gen sharded "$structs" >"$out/sharded.rs"
gen sharded_hand "$structs" >"$out/sharded_hand.rs"
new_crate macro "$out/macro.rs"
new_crate hand "$out/hand.rs" 'parking_lot = "0.13"'
new_crate sharded "$out/sharded.rs"
new_crate sharded_hand "$out/sharded_hand.rs" 'parking_lot = "0.13"'

# paste MACRO PASTED: the expansion of crate MACRO, pasted into crate PASTED. Its own target
# dir: nightly artifacts cannot be shared with stable.
paste_crate() {
    (cd "$out/crates/$1" &&
        CARGO_TARGET_DIR=$out/nightly-target cargo +nightly rustc --frozen --quiet \
            --profile=check -- -Zunpretty=expanded) >"$out/$1.expanded.rs"
    gen paste <"$out/$1.expanded.rs" >"$out/$2.rs"
    new_crate "$2" "$out/$2.rs"
}
paste_crate macro pasted
paste_crate sharded sharded_pasted
crates=(macro pasted hand sharded sharded_pasted sharded_hand)

# The macro crates again, against lockwise as of REV.
if [[ -n $before ]]; then
    rm -rf "$out/before-src"
    mkdir -p "$out/before-src"
    git -C "$root" archive "$before" | tar -x -C "$out/before-src"
    new_crate macro_before "$out/macro.rs" '' "$out/before-src"
    new_crate sharded_before "$out/sharded.rs" '' "$out/before-src"
    crates+=(macro_before sharded_before)
fi

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
declare -A wall cpu walls cpus
loads=''
for ((round = 1; round <= runs; round++)); do
    line=''
    load=$(cut -d' ' -f1 /proc/loadavg)
    loads+="${loads:+ }$load"
    for name in "${crates[@]}"; do
        times=$(check_crate "$name" "$out/logs/$name.$round")
        read -r w c <<<"$times"
        walls[$name]+="${walls[$name]:+ }$w"
        cpus[$name]+="${cpus[$name]:+ }$c"
        line+="$name $w/$c  "
    done
    echo "   round $round (load $load): $line"
done
# median "a b c ...": the middle value (the lower of the two middle ones for an even count).
median() { tr ' ' '\n' <<<"$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for name in "${crates[@]}"; do
    wall[$name]=$(median "${walls[$name]}")
    cpu[$name]=$(median "${cpus[$name]}")
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
# The pasted and hand-written crates a row is compared with.
pasted_of() { case $1 in sharded*) echo sharded_pasted ;; *) echo pasted ;; esac; }
hand_of() { case $1 in sharded*) echo sharded_hand ;; *) echo hand ;; esac; }
describe() {
    case $1 in
        macro) echo "\`#[guarded(rw)]\`" ;;
        pasted) echo "its expansion, pasted" ;;
        hand) echo "by hand: \`struct S(parking_lot::RwLock<SState>)\`" ;;
        sharded) echo "\`#[sharded(16)]\`" ;;
        sharded_pasted) echo "its expansion, pasted" ;;
        sharded_hand) echo "by hand: \`[parking_lot::RwLock<SShard>; 16]\` + \`RandomState\`" ;;
        macro_before) echo "\`#[guarded(rw)]\`, lockwise at $before" ;;
        sharded_before) echo "\`#[sharded(16)]\`, lockwise at $before" ;;
        deref) echo "deref: pasted, forwarding through \`Deref<Target = Guarded<..>>\` (experiment)" ;;
        deref_nodoc) echo "deref without doc comments (experiment)" ;;
        deref_bare) echo "deref with only the wrapper, \`new\` and \`Deref\` (experiment)" ;;
        empty) echo "no structs: the fixed cost (experiment)" ;;
        pasted_nodoc) echo "pasted without doc comments (experiment)" ;;
    esac
}

{
    echo "$structs structs with 5 fields (sharded: a map and a counter) and one method each;"
    echo "\`cargo check\`, clean, median of $runs interleaved rounds (wall clock and CPU time, each"
    echo "the median run); $(rustc --version), $(nproc) CPUs"
    echo "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'));"
    echo "1-minute load average at the start of each round: $loads."
    echo
    echo "| crate | wall (s) | ÷ pasted | ÷ hand | CPU (s) | ÷ pasted | ÷ hand | lines per struct |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for name in "${crates[@]}"; do
        lines=$(gen lines "$structs" <"$out/crates/$name/src/lib.rs")
        p=$(pasted_of "$name") h=$(hand_of "$name")
        echo "| $(describe "$name") | $(secs "${wall[$name]}")" \
            "| $(ratio "${wall[$name]}" "${wall[$p]}") | $(ratio "${wall[$name]}" "${wall[$h]}")" \
            "| $(secs "${cpu[$name]}")" \
            "| $(ratio "${cpu[$name]}" "${cpu[$p]}") | $(ratio "${cpu[$name]}" "${cpu[$h]}")" \
            "| $lines |"
    done
    echo
    echo "Wall clock of every run (s): $(for name in "${crates[@]}"; do
        printf '%s %s; ' "$name" "$(for ms in ${walls[$name]}; do secs "$ms"; echo; done | paste -sd' ')"
    done | sed 's/; $//')."
    echo
    echo "CPU time of every run (s): $(for name in "${crates[@]}"; do
        printf '%s %s; ' "$name" "$(for ms in ${cpus[$name]}; do secs "$ms"; echo; done | paste -sd' ')"
    done | sed 's/; $//')."
    if ((fresh_runs > 0)); then
        echo
        echo "Clean \`cargo build\` (debug) of a crate that only depends on lockwise ($fresh_units crates):" \
            "$(secs "$fresh_wall") s wall, $(secs "$fresh_cpu") s CPU (best of $fresh_runs;" \
            "wall of every run: $(for ms in $fresh_walls; do secs "$ms"; echo; done | paste -sd' ') s)."
    fi
} | tee "$out/results.md"
