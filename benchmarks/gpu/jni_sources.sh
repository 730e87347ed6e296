#!/usr/bin/env bash
# Collects what build_jni.sh compiles: DJL's PyTorch JNI sources of one DJL version, the JNI header
# generated from that version's PyTorchLibrary.java (javac -h) and the JDK's jni.h.
#
#   jni_sources.sh DJL_CHECKOUT DJL_VERSION CLASSPATH OUT_DIR
#
# DJL_CHECKOUT is a clone of DJL (github.com/deepjavalibrary/djl): its tag vDJL_VERSION is used when it
# is a git clone, else its work tree. CLASSPATH holds DJL's api and pytorch-engine jars (javac needs
# them to compile PyTorchLibrary.java). OUT_DIR receives native/, include/ (djl/utils.h and the
# generated ai_djl_pytorch_jni_PyTorchLibrary.h), jdk-include/ and DJL_VERSION. Needs a JDK
# (JAVA_HOME, else the java on PATH).
set -euo pipefail
djl=$(cd "$1" && pwd)
djl_version=$2
classpath=$3
mkdir -p "$4"
jni=$(cd "$4" && pwd)
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
src=$(mktemp -d)
if git -C "$djl" rev-parse -q --verify "v$djl_version^{commit}" >/dev/null; then
  git -C "$djl" archive "v$djl_version" engines/pytorch/pytorch-native/src/main/native \
    engines/pytorch/pytorch-engine/src/main/java api/src/main/native | tar -x -C "$src"
else
  echo "warning: no tag v$djl_version in $djl; using its work tree" >&2
  (cd "$djl" && tar -c engines/pytorch/pytorch-native/src/main/native \
    engines/pytorch/pytorch-engine/src/main/java api/src/main/native) | tar -x -C "$src"
fi
rm -rf "$jni"
mkdir -p "$jni/include"
cp -r "$src/engines/pytorch/pytorch-native/src/main/native" "$jni/native"
cp -r "$src/api/src/main/native/djl" "$jni/include/"
"$java_home/bin/javac" -cp "$classpath" -d "$src/classes" -h "$jni/include" \
  -sourcepath "$src/engines/pytorch/pytorch-engine/src/main/java" \
  "$src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
cp -r "$java_home/include" "$jni/jdk-include"
echo "$djl_version" >"$jni/DJL_VERSION"
rm -rf "$src"
