#!/usr/bin/env bash
# Generates the Python message classes of mmdgan.v1 into examples/python/mmdgan_api/ with protoc 3.21.12 (from Maven
# Central), the version of Debian 12's python3-protobuf, so that the generated code and the runtime match.
# The client calls the services through grpc's generic method API, so no gRPC code-generator plugin is needed.
#   sudo apt-get install python3-grpcio python3-protobuf
#   examples/python/generate.sh && /usr/bin/python3 examples/python/quickstart.py
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TOOLS="$HERE/target"
PROTOC_VERSION=3.21.12
mkdir -p "$TOOLS"
if [[ ! -x "$TOOLS/protoc" ]]; then
  echo "fetching protoc $PROTOC_VERSION and the well-known .proto files from Maven Central..." >&2
  mvn -q -B -ntp dependency:copy -Dartifact="com.google.protobuf:protoc:$PROTOC_VERSION:exe:linux-x86_64" \
    -DoutputDirectory="$TOOLS" -Dmdep.stripVersion=true >&2
  mvn -q -B -ntp dependency:unpack -Dartifact="com.google.protobuf:protobuf-java:$PROTOC_VERSION" \
    -Dmdep.unpack.includes='google/protobuf/*.proto' -DoutputDirectory="$TOOLS/include" >&2
  mv "$TOOLS/protoc-linux-x86_64.exe" "$TOOLS/protoc"
  chmod +x "$TOOLS/protoc"
fi
OUT="$HERE/mmdgan_api"
rm -rf "$OUT"
mkdir -p "$OUT"
"$TOOLS/protoc" -I "$ROOT/proto/src/main/proto" -I "$TOOLS/include" --python_out="$OUT" \
  "$ROOT"/proto/src/main/proto/mmdgan/v1/*.proto
# Importable as packages: mmdgan_api/mmdgan/v1/*_pb2.py import each other as mmdgan.v1.*.
touch "$OUT/mmdgan/__init__.py" "$OUT/mmdgan/v1/__init__.py"
echo "generated $(ls "$OUT"/mmdgan/v1/*_pb2.py | wc -l) modules in $OUT" >&2
