#!/bin/bash
# upload.sh ENDPOINT BUCKET RUN STEP DIR: a checkpoint folder into the store (S3 API, SigV4), manifest last.
set -euo pipefail
ep=$1; bucket=$2; run=$3; step=$4; dir=$5
auth=(--aws-sigv4 "aws:amz:us-east-1:s3" --user "mmdgan-dev:mmdgan-dev-secret" -sS -f)
curl "${auth[@]}" -X PUT "$ep/$bucket" -o /dev/null || true
cd "$dir"
for f in $(find . -type f ! -name MANIFEST.sha256 | sed 's|^\./||'); do
  curl "${auth[@]}" -T "$f" "$ep/$bucket/runs/$run/checkpoints/$step/$f" -o /dev/null
done
curl "${auth[@]}" -T MANIFEST.sha256 "$ep/$bucket/runs/$run/checkpoints/$step/MANIFEST.sha256" -o /dev/null
echo uploaded
