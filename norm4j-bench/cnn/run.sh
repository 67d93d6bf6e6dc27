#!/usr/bin/env bash
# One epoch of the demo CNN (Conv(32,3)-[BN]-relu-pool-Conv(64,3)-[BN]-relu-pool-Dense(10), batch 32, Adam,
# Fashion-MNIST) in norm4j (JDK 17 and JDK 25), PyTorch and Keras/TensorFlow on the same threads; prints a
# markdown table. Run it on a quiet machine: every figure is one epoch's wall time.
#
#   norm4j-bench/cnn/run.sh [IMAGES] [THREADS] [VARIANTS]      e.g. norm4j-bench/cnn/run.sh 60000 2 "none batchnorm"
#
# Environment: JAVA17 (default: java on PATH), JAVA25 (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java),
# PYTHON (a Python with torch, keras 3 and tensorflow; default /work/venv-cnn/bin/python when present, else
# python3), FASHION (the IDX directory, default /usr/share/datasets/fashion-mnist), SKIP_BUILD=1 to reuse the jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-60000}
T=${2:-2}
VARIANTS=${3:-"none batchnorm"}
JAVA17=${JAVA17:-java}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
FASHION=${FASHION:-/usr/share/datasets/fashion-mnist}
if [ -z "${PYTHON:-}" ]; then
  if [ -x /work/venv-cnn/bin/python ]; then PYTHON=/work/venv-cnn/bin/python; else PYTHON=python3; fi
fi
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -B -pl norm4j-bench -am package -Dmaven.test.skip=true
fi
CP="norm4j-bench/target/norm4j-bench-0.1.0-SNAPSHOT.jar:$(cat norm4j-bench/target/runtime-classpath.txt)"
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
run() { # label command...
  local label=$1; shift
  echo "running $label ..." >&2
  if line=$("$@" 2>/dev/null | grep -E '^(norm4j|torch|keras)' | tail -1) && [ -n "$line" ]; then
    echo "$label|$line" >> "$OUT"
  else
    echo "$label|failed" >> "$OUT"
  fi
}
for V in $VARIANTS; do
  for J in "$JAVA17" "$JAVA25"; do
    if [ -x "$(command -v "$J")" ]; then
      ver=$("$J" -version 2>&1 | head -1 | sed -E 's/.*"([0-9]+)[^"]*".*/\1/')
      run "norm4j (JDK $ver)" "$J" -Xms2g -Xmx2g --add-modules jdk.incubator.vector -Dnorm4j.bench.fashion="$FASHION" \
        -cp "$CP" org.norm4j.bench.CnnEpoch "$V" "$N" "$T"
    fi
  done
  run "PyTorch" "$PYTHON" norm4j-bench/cnn/torch_epoch.py "$V" "$N" "$T" "$FASHION"
  run "Keras (TensorFlow)" env KERAS_BACKEND=tensorflow "$PYTHON" norm4j-bench/cnn/keras_epoch.py "$V" "$N" "$T" \
    "$FASHION"
done
field() { sed -nE "s/.* $1=([^ ]*).*/\1/p" <<< "$2"; }
echo
echo "One epoch of the demo CNN, $N Fashion-MNIST images, batch 32, $T threads; $(lscpu | sed -nE 's/^Model name: *//p' | head -1), $(nproc) CPUs"
echo
echo "| engine | variant | s/epoch | process CPU s | last batch loss | version |"
echo "| --- | --- | ---: | ---: | ---: | --- |"
while IFS='|' read -r label line; do
  if [ "$line" = failed ]; then
    echo "| $label | - | failed | - | - | - |"
    continue
  fi
  ver=$(field java "$line")$(field torch "$line")$(field keras "$line")
  echo "| $label | $(field variant "$line") | $(field epoch_s "$line") | $(field cpu_s "$line") | $(field loss "$line") | $ver |"
done < "$OUT"
