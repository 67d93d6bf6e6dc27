#!/usr/bin/env bash
# Tabular benchmark: norm4j fit/transform against Polars, DuckDB and pandas + scikit-learn on one CSV file
# (3 000 000 x 20 by default) and the same data as Parquet (snappy, written by Polars from the CSV), engines
# alternated in every round, wall time of each command (JVM and Python start-up included) and the engine's own
# time. See docs/performance.md, "Tabular files".
#   norm4j-bench/tabular/run.sh [ROUNDS] [ROWS]      FORMATS="csv parquet" (default) picks the files
# Needs: the norm4j jar (./norm4j builds it), a venv with duckdb polars pandas scikit-learn pyarrow in
# $VENV (default /work/venv-tab), numpy for the generator.  JAVA: the java to run (default java).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-2}"
rows="${2:-3000000}"
venv="${VENV:-/work/venv-tab}"
java="${JAVA:-java}"
work="${WORK:-/tmp/norm4j-tabular}"
mkdir -p "$work"
csv="$work/data-$rows.csv"
[ -f "$csv" ] || "$venv/bin/python" "$here/gen_csv.py" "$csv" "$rows"
pq="$work/data-$rows.parquet"
[ -f "$pq" ] || "$venv/bin/python" -c "import polars as pl, sys; pl.read_csv(sys.argv[1]).write_parquet(sys.argv[2], compression='snappy')" "$csv" "$pq"
formats="${FORMATS:-csv parquet}"
jar="${JAR:-$(ls "$root"/norm4j-cli/target/norm4j-cli-*-all.jar | head -1)}"
n4j=("$java" --add-modules jdk.incubator.vector -jar "$jar")
echo "# $(date -u +%FT%TZ) $(lscpu | grep 'Model name' | sed 's/ \+/ /g'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $("$java" -version 2>&1 | head -1); file $(du -m "$csv" | cut -f1) MB, $rows x 20"
"${n4j[@]}" fit "$csv" --header -o "$work/stats.json" > /dev/null 2>&1
timed() { # label command...: wall seconds, CPU seconds (user + system) of the process, the engine's own line
  local inner
  inner=$(/usr/bin/time -f '%e %U %S' -o "$work/time.txt" "$@" 2>/dev/null | tail -1)
  read -r wall user sys < "$work/time.txt"
  printf '%s wall %.2f cpu %.2f | %s\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$inner"
}
for r in $(seq 1 "$rounds"); do
  for fmt in $formats; do
    if [ "$fmt" = parquet ]; then in="$pq"; ext=parquet; hdr=(); else in="$csv"; ext=csv; hdr=(--header); fi
    for task in fit transform; do
      label="r$r $fmt norm4j $task"
      if [ $task = fit ]; then timed "${n4j[@]}" fit "$in" "${hdr[@]}" -o "$work/s-$r.json"
      else timed "${n4j[@]}" transform "$in" -s "$work/stats.json" -o "$work/out-norm4j.$ext"; fi
      for e in polars duckdb pandas; do
        if [ $e = pandas ] && [ $task = transform ] && [ "$r" -gt 1 ]; then continue; fi
        label="r$r $fmt $e $task"
        timed "$venv/bin/python" "$here/engines.py" $e $task "$in" "$work/stats.json" "$work/out-$e.$ext"
      done
    done
  done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
