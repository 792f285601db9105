#!/bin/sh
# Runs the validation benchmarks of issue 6 in one process, summarizes them
# with benchstat and prints the target ratios (bench/cmd/ratios).
#
#   ./run.sh                      # -count 10, -benchtime 1s, one core
#   COUNT=3 BENCHTIME=200ms ./run.sh   # a quick look
#
# The raw go test output is kept in $RESULTS (default: a temp file) so that
# benchstat can compare it with a later run. Every benchmark also reports
# cpu-ns/op (CPU time per operation), which other processes on a shared
# machine cannot inflate; ratios prints the targets by wall time and by CPU
# time and takes its verdict from CPU time. Exit status: that of ratios
# (0 all targets met, 1 a target missed, 2 unusable input).
set -eu
cd "$(dirname "$0")"

COUNT=${COUNT:-10}
BENCHTIME=${BENCHTIME:-1s}
RESULTS=${RESULTS:-$(mktemp "${TMPDIR:-/tmp}/gatehouse-bench.XXXXXX")}

# Every contender must accept the response and reject the tampered copy
# before any number means something (the benchmarks check it again).
go test -count=1 .

echo "load average: $(cut -d" " -f1-3 /proc/loadavg) (2 cores; above 2 the numbers are inflated)"

# One core per benchmark, as the published baseline of the peer libraries was measured.
go test -run '^$' -bench . -benchmem -cpu 1 -count "$COUNT" -benchtime "$BENCHTIME" . | tee "$RESULTS"

# benchstat and ratios go to a temp bin directory, reused by later runs.
BIN=${TMPDIR:-/tmp}/gatehouse-bench-bin
mkdir -p "$BIN"
PATH=$BIN:$PATH
if ! command -v benchstat >/dev/null 2>&1; then
	GOBIN=$BIN go install golang.org/x/perf/cmd/benchstat@latest
fi
go build -o "$BIN/ratios" ./cmd/ratios
echo
benchstat "$RESULTS"
echo
echo "raw results: $RESULTS"
exec ratios "$RESULTS"
