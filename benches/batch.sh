#!/usr/bin/env bash
# The batch benchmark, runnable anywhere with bash and Linux's /proc: no
# cargo, no Rust toolchain, only a release binary and a folder of letters.
#
#   benches/batch.sh BINARY LETTERS_DIR
#
# renders every *.yaml in LETTERS_DIR with `--jobs 1` and with all cores
# (the default), RUNS times each, and prints the median of:
#   - wall time, in all and per letter;
#   - CPU time per letter (user + system) of the whole process tree: the
#     batch and every worker it started. This is bash's `time`, which takes
#     getrusage(RUSAGE_CHILDREN) before and after, so it counts the workers
#     once the batch has waited for them;
#   - the peak, over the run, of the summed memory of every process of the
#     batch (the batch and its workers), sampled from /proc/PID/status every
#     SAMPLE_MS ms: VmRSS (resident; counts the binary's shared pages once
#     per process, so it overstates) and RssAnon (the processes' own heap,
#     stacks and relocated data).
# The runs are taken in turn (each configuration once, then again), so a
# machine whose speed drifts affects every row alike. CPU/jobs1 is relative
# to the first row. Every row's letters must be byte-identical to the first
# row's; the script says if they are not.
#
# Environment:
#   RUNS=3              runs per configuration
#   SAMPLE_MS=10        memory sampling interval
#   JOBS="1 all"        the --jobs values to run; `all` runs without --jobs,
#                       on every core the binary may use
#   THREADS_PER_WORKER="1 2 4 8"  also run on all cores with these letters
#                       at once per worker process (the hidden
#                       --threads-per-worker option)
#   COMPARE=OTHER_BINARY  also run another build (e.g. the previous
#                       release) with the same JOBS, in the same turns
#
# A binary without `--jobs` (before worker processes) is run on one core by
# `taskset` for `--jobs 1`, which is how it chose its number of threads.
set -euo pipefail
shopt -s nullglob

if (($# != 2)); then
    echo "usage: $0 BINARY LETTERS_DIR" >&2
    exit 2
fi
letters=$(realpath "$2")
runs=${RUNS:-3}
sample_ms=${SAMPLE_MS:-10}
cores=$(nproc)
count=$(find "$letters" -maxdepth 1 -name '*.yaml' | wc -l)
((count > 0)) || { echo "no *.yaml files in $letters" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A file descriptor that never has input: `read -t` on it sleeps without
# starting a process, so sampling costs the machine almost nothing.
exec {never}<> <(:)
interval=$(awk "BEGIN { print $sample_ms / 1000 }")

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }

# The configurations: a label, and the command as fields separated by \x1f.
labels=() commands=()
add() {
    local label=$1 IFS=$'\x1f'
    shift
    labels+=("$label") commands+=("$*")
}
configure() {
    local bin name jobs per first_cpu
    bin=$(realpath "$1")
    name=$2
    if "$bin" render --help | grep -q -- '--jobs'; then
        for jobs in ${JOBS:-1 all}; do
            # `all`: no --jobs, the binary's own default.
            if [[ $jobs == all ]]; then
                add "$name all" "$bin" render "$letters"
            else
                add "$name $jobs" "$bin" render "$letters" --jobs "$jobs"
            fi
        done
        for per in ${THREADS_PER_WORKER:-}; do
            add "$name all, $per/worker" "$bin" render "$letters" --threads-per-worker "$per"
        done
    else
        for jobs in ${JOBS:-1 all}; do
            if [[ $jobs == all ]]; then
                add "$name all" "$bin" render "$letters"
            elif ((jobs == 1)); then
                first_cpu=$(taskset -pc $$ | sed 's/.*: //; s/[,-].*//')
                add "$name 1 (taskset)" taskset -c "$first_cpu" "$bin" render "$letters"
            else
                echo "$bin has no --jobs: only 1 and all can be measured" >&2
            fi
        done
    fi
    echo "$name: $bin ($("$bin" --version))"
}

rss=0 anon=0

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

# Runs configuration $1 once into folder $2; appends to its results.
measure() {
    local i=$1 out=$2 wrapper user sys wall kid file peak_rss=0 peak_anon=0
    local -a command kids
    IFS=$'\x1f' read -ra command <<<"${commands[i]}"
    rm -rf "$out"
    # The wrapper shell times the batch; we watch the batch's process tree.
    bash -c 'TIMEFORMAT="%R %U %S"; { time "$@" >/dev/null 2>&1; } 2>"$0"' \
        "$work/times" "${command[@]}" -o "$out" &
    wrapper=$!
    while kill -0 "$wrapper" 2>/dev/null; do
        rss=0 anon=0
        for file in /proc/"$wrapper"/task/*/children; do
            read -ra kids 2>/dev/null <"$file" || true
            for kid in "${kids[@]}"; do add_tree "$kid"; done
        done
        ((rss > peak_rss)) && peak_rss=$rss
        ((anon > peak_anon)) && peak_anon=$anon
        read -r -t "$interval" -u "$never" _ || true
    done
    wait "$wrapper" || { echo "the batch failed: ${command[*]}" >&2; exit 1; }
    read -r wall user sys <"$work/times"
    walls[i]+=" $wall" cpus[i]+=" $(calc "$user + $sys")"
    rsss[i]+=" $peak_rss" anons[i]+=" $peak_anon"
}

echo "hmip-letter batch: $count letters, $cores cores, median of $runs runs taken in turn"
configure "$1" this
[[ -z ${COMPARE:-} ]] || configure "$COMPARE" other
walls=() cpus=() rsss=() anons=()
for ((run = 0; run < runs; run++)); do
    for i in "${!labels[@]}"; do
        measure "$i" "$work/out"
        if ((run > 0)); then
            :
        elif ((i == 0)); then
            mv "$work/out" "$work/first"
        elif ! diff -rq "$work/first" "$work/out" >/dev/null; then
            echo "${labels[i]}: the letters differ from those of ${labels[0]}" >&2
        fi
    done
done

echo "CPU: user + system of the batch and all its workers; memory: peak of the sum over them"
printf '%-22s %8s %9s %9s %9s %10s %10s\n' "jobs" "wall s" "wall/ltr" "CPU/ltr" \
    "CPU/first" "VmRSS MiB" "anon MiB"
printf '%-22s %8s %9s %9s %9s %10s %10s\n' "" "" ms ms "" "sum, peak" "sum, peak"
for i in "${!labels[@]}"; do
    # shellcheck disable=SC2086 # the lists are space-separated numbers
    w=$(median ${walls[i]}) c=$(median ${cpus[i]}) r=$(median ${rsss[i]}) a=$(median ${anons[i]})
    ((i == 0)) && first_cpu=$c
    printf '%-22s %8.2f %9.2f %9.2f %9.3f %10.1f %10.1f\n' "${labels[i]}" "$w" \
        "$(calc "$w * 1000 / $count")" "$(calc "$c * 1000 / $count")" \
        "$(calc "$c / $first_cpu")" "$(calc "$r / 1024")" "$(calc "$a / 1024")"
done
echo "targets: CPU/first <= 1.1 with all cores; 1000 letters in <= 150 MiB (VmRSS, summed)"
