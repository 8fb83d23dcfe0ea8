#!/usr/bin/env bash
# The batch benchmark, runnable anywhere with bash and Linux's /proc: no
# cargo, no Rust toolchain, only a release binary and a folder of letters.
#
#   benches/batch.sh BINARY LETTERS_DIR
#
# renders every *.yaml in LETTERS_DIR with `--jobs 1` and with all cores
# (the default), RUNS times each (default 3), and prints the median of:
#   - wall time, in all and per letter;
#   - CPU time per letter (user + system) of the whole process tree: the
#     batch and every worker it started. This is bash's `time`, which takes
#     getrusage(RUSAGE_CHILDREN) before and after, so it counts the workers
#     once the batch has waited for them;
#   - the peak, over the run, of the summed memory of every process of the
#     batch (the batch and its workers), sampled from /proc/PID/status every
#     SAMPLE_MS ms (default 10): VmRSS (resident; counts the binary's shared
#     pages once per process, so it overstates) and RssAnon (the processes'
#     own heap and stacks).
# CPU/jobs1 is relative to the first row. The outputs of every row must be
# byte-identical to those of the first; the script says if they are not.
#
# Environment:
#   RUNS=3                  runs per configuration
#   SAMPLE_MS=10            memory sampling interval
#   JOBS="1 all"            the --jobs values to run; `all` runs without
#                           --jobs, on every core the binary may use
#   THREADS_PER_WORKER="1 2 4 8"  also run on all cores with these letters
#                           at once per worker process (the hidden
#                           --threads-per-worker option)
#
# A binary without `--jobs` (before worker processes) is measured with one
# core by `taskset`, which is how it chose its number of threads.
set -euo pipefail
shopt -s nullglob

if (($# != 2)); then
    echo "usage: $0 BINARY LETTERS_DIR" >&2
    exit 2
fi
bin=$(realpath "$1")
letters=$(realpath "$2")
runs=${RUNS:-3}
sample_ms=${SAMPLE_MS:-10}
cores=$(nproc)
count=$(find "$letters" -maxdepth 1 -name '*.yaml' | wc -l)
((count > 0)) || { echo "no *.yaml files in $letters" >&2; exit 2; }
has_jobs=false
"$bin" render --help | grep -q -- '--jobs' && has_jobs=true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A file descriptor that never has input: `read -t` on it sleeps without
# starting a process, so sampling costs the machine almost nothing.
exec {never}<> <(:)
interval=$(awk "BEGIN { print $sample_ms / 1000 }")

peak_rss=0 peak_anon=0 rss=0 anon=0

# Adds the memory of PID and every process below it to rss and anon (KiB).
add_tree() {
    local pid=$1 key value _ file kid
    local -a kids
    while read -r key value _; do
        case $key in
        VmRSS:) rss=$((rss + value)) ;;
        RssAnon:) anon=$((anon + value)) ;;
        esac
    done 2>/dev/null <"/proc/$pid/status" || true
    for file in /proc/"$pid"/task/*/children; do
        read -ra kids 2>/dev/null <"$file" || true
        for kid in "${kids[@]}"; do add_tree "$kid"; done
    done
}

# Runs the batch once; sets wall, cpu (seconds), peak_rss, peak_anon (KiB).
measure() {
    local out=$1
    shift
    rm -rf "$out"
    local times="$work/times"
    # The wrapper shell times the batch; we watch the batch's process tree.
    bash -c 'TIMEFORMAT="%R %U %S"; { time "$@" >/dev/null 2>&1; } 2>"$0"' "$times" "$@" -o "$out" &
    local wrapper=$!
    peak_rss=0 peak_anon=0
    while kill -0 "$wrapper" 2>/dev/null; do
        rss=0 anon=0
        local kid file
        local -a kids
        for file in /proc/"$wrapper"/task/*/children; do
            read -ra kids 2>/dev/null <"$file" || true
            for kid in "${kids[@]}"; do add_tree "$kid"; done
        done
        ((rss > peak_rss)) && peak_rss=$rss
        ((anon > peak_anon)) && peak_anon=$anon
        read -r -t "$interval" -u "$never" _ || true
    done
    wait "$wrapper" || { echo "the batch failed: $*" >&2; exit 1; }
    local user sys
    read -r wall user sys <"$times"
    cpu=$(calc "$user + $sys")
}

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }

# One configuration, RUNS times: prints a row of medians.
row() {
    local label=$1 split=$2
    shift 2
    local -a walls cpus rsss anons
    local i
    for ((i = 0; i < runs; i++)); do
        measure "$work/out-$label-$split" "$@"
        walls+=("$wall") cpus+=("$cpu") rsss+=("$peak_rss") anons+=("$peak_anon")
    done
    local w c
    w=$(median "${walls[@]}")
    c=$(median "${cpus[@]}")
    [[ -n ${base_cpu:-} ]] || base_cpu=$c
    printf '%-6s %-10s %9.2f %10.2f %10.2f %9.3f %11.1f %11.1f\n' "$label" "$split" "$w" \
        "$(calc "$w * 1000 / $count")" "$(calc "$c * 1000 / $count")" "$(calc "$c / $base_cpu")" \
        "$(calc "$(median "${rsss[@]}") / 1024")" "$(calc "$(median "${anons[@]}") / 1024")"
    if [[ -d $work/first ]]; then
        diff -rq "$work/first" "$work/out-$label-$split" >/dev/null ||
            echo "       ^ the letters differ from those of --jobs 1"
        rm -rf "$work/out-$label-$split"
    else
        mv "$work/out-$label-$split" "$work/first"
    fi
}

echo "hmip-letter batch: $count letters, $cores cores, median of $runs runs"
echo "binary: $bin ($("$bin" --version))"
echo "CPU: user + system of the batch and all its workers; memory: peak of the sum over them"
printf '%-6s %-10s %9s %10s %10s %9s %11s %11s\n' jobs per-worker "wall s" "wall/ltr" \
    "CPU/ltr" "CPU/jobs1" "VmRSS MiB" "anon MiB"
printf '%-6s %-10s %9s %10s %10s %9s %11s %11s\n' "" "" "" ms ms "" "sum, peak" "sum, peak"
for jobs in ${JOBS:-1 all}; do
    if [[ $jobs == all ]]; then
        # No --jobs: the binary's own default, all the cores it may use.
        row all default "$bin" render "$letters"
    elif $has_jobs; then
        row "$jobs" default "$bin" render "$letters" --jobs "$jobs"
    elif ((jobs == 1)); then
        first_cpu=$(taskset -pc $$ | sed 's/.*: //; s/[,-].*//')
        row 1 taskset taskset -c "$first_cpu" "$bin" render "$letters"
    else
        echo "$bin has no --jobs: only 1 and all can be measured" >&2
    fi
done
if $has_jobs; then
    for per in ${THREADS_PER_WORKER:-}; do
        row all "$per" "$bin" render "$letters" --threads-per-worker "$per"
    done
fi
echo "targets: CPU/jobs1 <= 1.1 with all cores; 1000 letters in <= 150 MiB (VmRSS, summed)"
