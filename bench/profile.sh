#!/usr/bin/env bash
# The profiles quoted in docs/performance.md: runs one norm4j workload in a loop under Java Flight Recorder and
# prints the share of samples per method (top frame, and nearest norm4j frame) and the GC pause share.
#
#   bench/profile.sh WORKLOAD [SECONDS] [ENGINE]   e.g. bench/profile.sh bn_fwd_nhwc 6 norm4j-into
#
# ENGINE: norm4j (default), norm4j-into, norm4j-1t or norm4j-scalar (the same flags as in bench/run.sh).
# Workload ids: see norm4j-bench/src/main/java/org/norm4j/bench/Workloads.java. Set SKIP_BUILD=1 to reuse the jars.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:?usage: bench/profile.sh WORKLOAD [SECONDS] [ENGINE]}
S=${2:-6}
E=${3:-norm4j}
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -B ${MVN_OPTS_EXTRA:-} -pl norm4j-bench -am package -Dmaven.test.skip=true
fi
CP="norm4j-bench/target/norm4j-bench-0.1.0-SNAPSHOT.jar:$(cat norm4j-bench/target/runtime-classpath.txt)"
FLAGS=(-Xms3g -Xmx3g -XX:+AlwaysPreTouch)
case "$E" in
  norm4j) FLAGS+=(--add-modules jdk.incubator.vector);;
  norm4j-into) FLAGS+=(--add-modules jdk.incubator.vector -Dnorm4j.bench.into=true);;
  norm4j-1t) FLAGS+=(--add-modules jdk.incubator.vector -Dnorm4j.threads=1);;
  norm4j-scalar) FLAGS+=(-Dnorm4j.kernels=scalar);;
  *) echo "engine '$E': expected norm4j, norm4j-into, norm4j-1t or norm4j-scalar" >&2; exit 2;;
esac
exec "${JAVA:-java}" "${FLAGS[@]}" -Dnorm4j.bench.fashion="${NORM4J_BENCH_FASHION:-/usr/share/datasets/fashion-mnist}" \
  -cp "$CP" org.norm4j.bench.Profile "$W" "$S" "$E" 2>&1 | grep -v "^WARNING: Using incubator modules"
