#!/bin/bash
# upload-checkpoint.sh ENDPOINT BUCKET RUN STEP DIR: puts a local checkpoint folder (e.g. from ./mmdgan train) into the
# store where the trainer would (runs/RUN/checkpoints/STEP/, manifest last), over the S3 API with curl's SigV4.
# Credentials: MMDGAN_S3_ACCESS_KEY / MMDGAN_S3_SECRET_KEY (default: the development store's).
set -euo pipefail
ep=$1; bucket=$2; run=$3; step=$4; dir=$5
user="${MMDGAN_S3_ACCESS_KEY:-mmdgan-dev}:${MMDGAN_S3_SECRET_KEY:-mmdgan-dev-secret}"
put() { # $1 = local file (or empty for the bucket), $2 = URL
  local sha body
  if [ -n "$1" ]; then sha=$(sha256sum "$1" | cut -d' ' -f1); body=(-T "$1"); else
    sha=$(printf '' | sha256sum | cut -d' ' -f1); body=(-X PUT); fi
  curl -sS -f --aws-sigv4 "aws:amz:us-east-1:s3" --user "$user" -H "x-amz-content-sha256: $sha" "${body[@]}" "$2" -o /dev/null
}
put "" "$ep/$bucket" 2>/dev/null || true   # exists already: fine
cd "$dir"
for f in $(find . -type f ! -name MANIFEST.sha256 | sed 's|^\./||'); do
  put "$f" "$ep/$bucket/runs/$run/checkpoints/$step/$f"
done
put MANIFEST.sha256 "$ep/$bucket/runs/$run/checkpoints/$step/MANIFEST.sha256"
echo "uploaded $dir as $bucket/runs/$run/checkpoints/$step/"
