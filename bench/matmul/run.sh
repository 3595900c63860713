#!/bin/sh
# ND4J's matmul against PyTorch's on the shapes of a paper-size training step, one thread each: is the gap in
# the GEMM itself? Uses the ND4J jars embedded in the built org.nopelab.nd4j bundle (./nopelab build first).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAVA_HOME=$(sh "$ROOT/features/org.nopelab.feature/rootfiles/nopelab" --java-home)
CP=$(mktemp -d)
trap 'rm -rf "$CP"' EXIT
(cd "$CP" && unzip -q "$ROOT"/bundles/org.nopelab.nd4j/target/org.nopelab.nd4j-*.jar '*.jar')
export OMP_NUM_THREADS=${THREADS:-1}
"$JAVA_HOME/bin/java" -Dthreads=${THREADS:-1} $MATMUL_VMARGS --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "$(ls "$CP"/*.jar | tr '\n' ':')" "$HERE/MatmulShapes.java" 2>&1 | grep -v '^WARNING'
PYTHON=${NOPELAB_PYTHON:-/usr/bin/python3}
"$PYTHON" "$HERE/matmul_shapes.py"
