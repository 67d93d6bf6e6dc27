#!/usr/bin/env bash
# Builds norm4j-bench, runs every benchmark side by side with TensorFlow Java, PyTorch (DJL) and ND4J, and
# regenerates docs/performance.md and docs/performance-sweep.png. About 15 minutes on 2 cores.
#
#   bench/run.sh                 full set (JDK 17, plus JDK 25 when BENCH_JDK25 points to a JDK 25 java)
#   QUICK=1 bench/run.sh         1 warm-up + 2 measured iterations per pair (a smoke test, numbers not for publishing)
#   SECTIONS=large bench/run.sh  only some sections (probe,large,minibatch,training,sweep)
#   REPORT_ONLY=DIR bench/run.sh rewrite docs/performance.md from the results in DIR (after editing
#                                norm4j-bench/performance-notes.md), without measuring
#
# Environment: BENCH_JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java; empty to skip), MAX_LOAD (default
# 0.6: the 1-minute load average to wait for before starting), LOAD_WAIT_S (default 600), MVN_OPTS_EXTRA (e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAVA=${JAVA:-java}
JDK25=${BENCH_JDK25-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
MAX_LOAD=${MAX_LOAD:-0.6}
LOAD_WAIT_S=${LOAD_WAIT_S:-600}
SECTIONS=${SECTIONS:-probe,large,minibatch,training,sweep}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$ROOT/norm4j-bench/target/results-$STAMP}
if [ -n "${QUICK:-}" ]; then ITER=(--warmup 1 --warmup-training 2 --iterations 2 --time-ms 200 --max-wait-s 5); else ITER=(); fi

if [ -n "${REPORT_ONLY:-}" ]; then
  cp norm4j-bench/performance-notes.md "$REPORT_ONLY/notes.md"
  CP="$ROOT/norm4j-bench/target/norm4j-bench-0.1.0-SNAPSHOT.jar:$(cat norm4j-bench/target/runtime-classpath.txt)"
  "$JAVA" -Djava.awt.headless=true -cp "$CP" org.norm4j.bench.Driver report --results "$REPORT_ONLY" \
    --doc docs/performance.md --chart docs/performance-sweep.png
  echo "wrote docs/performance.md and docs/performance-sweep.png from $REPORT_ONLY"
  exit 0
fi
mkdir -p "$OUT"
# The training target is an epoch over the 60 000 Fashion-MNIST images; install them when missing and possible.
FASHION=${NORM4J_BENCH_FASHION:-/usr/share/datasets/fashion-mnist}
if [ ! -d "$FASHION" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing dataset-fashion-mnist"
  apt-get install -y -q dataset-fashion-mnist >/dev/null || echo "!! could not install dataset-fashion-mnist"
fi
[ -d "$FASHION" ] || echo "!! no Fashion-MNIST in $FASHION: the 60 000-image epoch will show a dash"
echo "== building norm4j-bench"
mvn -q -B ${MVN_OPTS_EXTRA:-} -pl norm4j-bench -am package -Dmaven.test.skip=true
echo "== resolving the peers' class paths (native libraries come inside these jars)"
mvn -q -B ${MVN_OPTS_EXTRA:-} -f norm4j-bench/peers/tf-djl.xml dependency:build-classpath -Dmdep.outputFile="$OUT/cp-tf-djl.txt"
mvn -q -B ${MVN_OPTS_EXTRA:-} -f norm4j-bench/peers/nd4j.xml dependency:build-classpath -Dmdep.outputFile="$OUT/cp-nd4j.txt"
# Copy the freshly built norm4j jars next to the results: each JMH fork opens the class path anew, and a build
# running beside this one (the shared target/ folders) must not change the code under measurement mid-run.
mkdir -p "$OUT/lib"
cp norm4j-core/target/norm4j-core-0.1.0-SNAPSHOT.jar norm4j-nn/target/norm4j-nn-0.1.0-SNAPSHOT.jar \
  norm4j-bench/target/norm4j-bench-0.1.0-SNAPSHOT.jar "$OUT/lib/"
RUNTIME=$(sed -e "s#$ROOT/norm4j-core/target/#$OUT/lib/#; s#$ROOT/norm4j-nn/target/#$OUT/lib/#" \
  norm4j-bench/target/runtime-classpath.txt)
BASE="$OUT/lib/norm4j-bench-0.1.0-SNAPSHOT.jar:$RUNTIME"
echo "$BASE" | tr ':' '\n' | grep -q "$ROOT/norm4j-core/target" && { echo "class path still points into target/"; exit 1; }
# The CPU (vendor, family, model, stepping, flags), so that runs on different hosts are never compared blindly:
# docs/performance.md's header shows it (e.g. AMD family 25 is Zen 4, which runs 512-bit vectors as two halves;
# family 26 is Zen 5). lscpu's full output is kept beside it.
cpuinfo() { sed -n "s/^$1[[:space:]]*: //p" /proc/cpuinfo 2>/dev/null | head -n 1; }
{
  echo "model_name=$(cpuinfo 'model name')"
  echo "vendor=$(cpuinfo vendor_id)"
  echo "family=$(cpuinfo 'cpu family')"
  echo "model=$(cpuinfo model)"
  echo "stepping=$(cpuinfo stepping)"
  echo "flags=$(cpuinfo flags)"
} > "$OUT/cpu.txt"
lscpu > "$OUT/lscpu.txt" 2>/dev/null || true
git rev-parse --short HEAD > "$OUT/commit.txt" 2>/dev/null || true
git status --short -- norm4j-core norm4j-nn >> "$OUT/commit.txt" 2>/dev/null || true
CP_MAIN="$BASE:$(cat "$OUT/cp-tf-djl.txt")"
CP_ND4J="$BASE:$(cat "$OUT/cp-nd4j.txt")"
cp norm4j-bench/performance-notes.md "$OUT/notes.md"

load() { cut -d' ' -f1 /proc/loadavg; }
waited=0
while awk -v l="$(load)" -v m="$MAX_LOAD" 'BEGIN { exit !(l >= m) }'; do
  if [ "$waited" -ge "$LOAD_WAIT_S" ]; then
    echo "!! load average still $(load) after ${LOAD_WAIT_S}s: measuring anyway (recorded in the report)"
    break
  fi
  echo "   load average $(load) >= $MAX_LOAD: waiting"; sleep 15; waited=$((waited + 15))
done
echo "load_average_at_start=$(load) waited_s=$waited" > "$OUT/load.txt"

# JMH forks inherit this environment; peers get theirs through Engines (thread counts, malloc settings).
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$HOME/.djl.ai}
drive() { # drive CLASSPATH LABEL ENGINES SECTIONS [extra args]
  local cp=$1 label=$2 engines=$3 sections=$4; shift 4
  local want="" s
  for s in ${sections//,/ }; do case ",$SECTIONS," in *",$s,"*) want="$want${want:+,}$s";; esac; done
  [ -z "$want" ] && return 0
  echo "== $label: $engines on $want"
  "$JAVA" -Djava.awt.headless=true -Dnorm4j.bench.fashion="$FASHION" -cp "$cp" org.norm4j.bench.Driver run --label "$label" --engines "$engines" \
    --sections "$want" --out "$OUT/$label.tsv" "${ITER[@]}" "$@"
}
drive "$CP_MAIN" jdk17 java probe
drive "$CP_MAIN" jdk17 norm4j probe,large,minibatch,training,sweep
drive "$CP_MAIN" jdk17 norm4j-into large,minibatch,sweep
drive "$CP_MAIN" jdk17 norm4j-1t,norm4j-scalar large,minibatch,training
drive "$CP_MAIN" jdk17 tf,djl large,minibatch,training,sweep
drive "$CP_MAIN" jdk17 tf-composed,djl-shipped large
drive "$CP_ND4J" jdk17 nd4j large,minibatch,training
if [ -n "$JDK25" ] && [ -x "$JDK25" ]; then
  drive "$CP_MAIN" jdk25 norm4j large,minibatch,training --java "$JDK25"
fi
drive "$CP_MAIN" jdk17 java probe
drive "$CP_MAIN" jdk17 java large

echo "== report"
"$JAVA" -Djava.awt.headless=true -cp "$CP_MAIN" org.norm4j.bench.Driver report --results "$OUT" \
  --doc docs/performance.md --chart docs/performance-sweep.png
echo "wrote docs/performance.md and docs/performance-sweep.png (raw results: $OUT)"
