#!/usr/bin/env bash
# Prepares a self-contained folder for measuring the benchmarks on a GPU machine that may have no
# Java, no network and no CUDA build of DJL's libtorch, only a CUDA PyTorch wheel (run.sh, copied
# into the folder, does the measuring there). Run it from a checkout of this repository:
#
#   benchmarks/gpu/prepare.sh DJL_CHECKOUT OUT_DIR
#
# DJL_CHECKOUT is a clone of DJL (github.com/deepjavalibrary/djl) of the version on the classpath
# (0.36.0): its tag vX.Y.Z is used when it is a git clone, else its work tree. OUT_DIR receives:
#   lib/        the benchmarks' runtime classpath without DJL's bundled CPU libtorch (pytorch-native-*)
#   jre/        a jlink'ed Java runtime with just the modules that classpath needs (with PACK_JRE=1:
#               jre.tar.xz, a third of the size, which run.sh unpacks)
#   jni-src/    DJL's PyTorch JNI sources, the JNI header generated from that version's
#               PyTorchLibrary.java (javac -h) and the JDK's jni.h, for build_jni.sh
#   run.sh, build_jni.sh, libtorch_wheel.sh, model_peer.py, peer_imports.py
# Needs a JDK with jmods (JAVA_HOME, else the java on PATH) and Maven (MVN, default "mvn -B -o").
set -euo pipefail
djl=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
read -r -a mvn <<<"${MVN:-mvn -B -o}"
cd "$repo"

echo "== classpath"
"${mvn[@]}" -q install -DskipTests -pl benchmarks -am
rm -rf "$out/lib"
"${mvn[@]}" -q -pl benchmarks dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$out/lib"
# DJL's bundled CPU libtorch and its prebuilt JNI are replaced by the GPU machine's wheel and
# build_jni.sh's build.
rm -f "$out"/lib/pytorch-native-*.jar "$out"/lib/pytorch-jni-*.jar
cp benchmarks/target/benchmarks-*.jar "$out/lib/"
rm -f "$out"/lib/benchmarks.jar "$out"/lib/original-*.jar
engine_jar=$(ls "$out"/lib/pytorch-engine-*.jar)
djl_version=$(basename "$engine_jar" .jar | sed 's/^pytorch-engine-//')
echo "DJL $djl_version"

echo "== Java runtime"
modules=$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 \
  "$out"/lib/*.jar 2>/dev/null | tr , '\n' | grep -Ev '^(java.desktop|java.compiler)$' | paste -sd,)
# java.desktop (report charts and PNGs, jfreechart) and java.compiler (JMH's annotation processor)
# are not used by the benchmarks at run time and make up most of the runtime's size.
modules=$modules,java.logging,jdk.management,jdk.crypto.ec,jdk.zipfs
rm -rf "$out/jre" "$out/jre.tar.xz"
if [ -n "${PACK_JRE:-}" ]; then
  # Uncompressed modules xz better: about 13 MB against 40 MB for jlink's own compression.
  "$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
    --strip-debug --no-man-pages --no-header-files --compress=0 --output "$out/jre"
  tar -C "$out" -c jre | xz -6 >"$out/jre.tar.xz"
  rm -rf "$out/jre"
else
  "$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out/jre"
fi
echo "modules: $modules"

echo "== DJL JNI sources"
"$repo/benchmarks/gpu/jni_sources.sh" "$djl" "$djl_version" "$out/lib/*" "$out/jni-src"

cp benchmarks/gpu/run.sh benchmarks/gpu/build_jni.sh benchmarks/gpu/libtorch_wheel.sh benchmarks/model_peer.py \
  benchmarks/peer_imports.py "$out/"
du -sh "$out"
