#!/usr/bin/env bash
# Run a command with its stderr kept in $BENCH_BASE/quiet.log instead of the terminal; its exit code is kept.
exec "$@" 2>>"${BENCH_BASE:-/tmp/imagesync-bench}/quiet.log"
