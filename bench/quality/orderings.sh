#!/usr/bin/env bash
# The papers' orderings of losses on Fashion-MNIST, at a small CPU budget: each arm trained for STEPS steps with
# several seeds and evaluated by `mmdgan evaluate` (KID on the product's feature network against the 10,000 test
# images) at EVAL_STEPS. docs/quality.md reports what this printed; summarize.py makes the table.
#
#   bench/quality/orderings.sh [ARM ...]
#
# An arm is LOSS-SEED with LOSS one of (seed 003, Table 1; DCGAN + BN + spectral normalization, critic output 16,
# the same learning rates for every loss):
#   mmd        the attractive loss with the Gaussian mixture σ ∈ {1, √2, 2, 2√2, 4}
#   mmd-rep    the repulsive loss with a single Gaussian, σ = 1
#   mmd-rep-b  the repulsive loss with the bounded Gaussian rbf-b (σ = 1)
# The default is those three with seeds 0, 1 and 2. Environment (defaults in brackets):
#   STEPS [1000]   EVAL_STEPS [500 1000]   LR [2e-4] (both players)
#   OUT [quality-runs]   MMDGAN [./mmdgan]
# Needs feature-nets/fashion-mnist-cnn/v1 in the working folder (`./mmdgan features train --dataset fashion-mnist`).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MMDGAN="${MMDGAN:-$ROOT/mmdgan}"
OUT="${OUT:-quality-runs}"
STEPS="${STEPS:-1000}"
EVAL_STEPS="${EVAL_STEPS:-500 1000}"
LR="${LR:-2e-4}"
ARMS=("$@")
[[ ${#ARMS[@]} -gt 0 ]] || ARMS=(mmd-0 mmd-rep-0 mmd-rep-b-0 mmd-1 mmd-rep-1 mmd-rep-b-1 mmd-2 mmd-rep-2 mmd-rep-b-2)
mkdir -p "$OUT/results" "$OUT/runs"

for arm in "${ARMS[@]}"; do
  seed="${arm##*-}"
  loss="${arm%-*}"
  case "$loss" in
    mmd) kernel=(--kernel rbf-mix --sigmas 1,1.4142135,2,2.8284271,4) ;;
    mmd-rep) kernel=(--kernel rbf-mix --sigmas 1) ;;
    mmd-rep-b) kernel=() ;; # the loss brings its own kernel
    *) echo "unknown arm $arm: the losses are mmd, mmd-rep, mmd-rep-b" >&2; exit 2 ;;
  esac
  run="$OUT/runs/$arm"
  start=$(date +%s)
  "$MMDGAN" train --dataset fashion-mnist --arch dcgan-28 --loss "$loss" "${kernel[@]}" --critic-dim 16 \
    --spectral-norm pico --batch 64 --n-critic 1 --lr-g "$LR" --lr-d "$LR" --beta2 0.999 --steps "$STEPS" \
    --checkpoint-every 250 --seed "$seed" --out "$run" --json > "$run.train.json" 2> "$run.log"
  for step in $EVAL_STEPS; do
    if [[ $step -le $STEPS ]]; then
      "$MMDGAN" evaluate --checkpoint "$run/checkpoints/$(printf step-%08d "$step")" --json > "$OUT/results/$arm-$step.json"
      echo "$arm step $step: $(grep -o '"kid_mean" *: *[-0-9.eE]*' "$OUT/results/$arm-$step.json")"
    fi
  done
  echo "$arm: $(( $(date +%s) - start )) s"
done
