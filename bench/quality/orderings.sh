#!/usr/bin/env bash
# The papers' orderings of losses on Fashion-MNIST, at a small CPU budget: each arm trained for STEPS steps with
# several seeds and evaluated by `mmdgan evaluate` (KID on the product's feature network against the 10,000 test
# images) at EVAL_STEPS. docs/quality.md reports what this printed; summarize.py makes the table.
#
#   bench/quality/orderings.sh [ARM | seed-003 | seed-000 ...]
#
# An arm is NAME-SEED, or a paper's name for all its arms with seeds 0, 1 and 2 (seed-003, the default, or seed-000).
# Seed 003, Table 1 (DCGAN + BN + spectral normalization, critic output 16, the same learning rates for every loss):
#   mmd        the attractive loss with the Gaussian mixture σ ∈ {1, √2, 2, 2√2, 4}
#   mmd-rep    the repulsive loss with a single Gaussian, σ = 1
#   mmd-rep-b  the repulsive loss with the bounded Gaussian rbf-b (σ = 1)
# Seed 000 (the README's Fashion-MNIST recipe: mmd-gp, critic output 128, no spectral normalization):
#   rq-gp1     the rational-quadratic mixture α ∈ {0.2, 0.5, 1, 2, 5} with λ_GP = 1 (the recipe itself)
#   rbf-gp10   the Gaussian mixture σ ∈ {2, 5, 10, 20, 40, 80} with λ_GP = 10
#   rq-gp0     the rational-quadratic mixture without a gradient penalty (λ_GP = 0)
# Environment (defaults in brackets):
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
ARMS=()
[[ $# -gt 0 ]] || set -- seed-003
for a in "$@"; do
  case "$a" in
    seed-003) for s in 0 1 2; do ARMS+=(mmd-$s mmd-rep-$s mmd-rep-b-$s); done ;;
    seed-000) for s in 0 1 2; do ARMS+=(rq-gp1-$s rbf-gp10-$s rq-gp0-$s); done ;;
    *) ARMS+=("$a") ;;
  esac
done

SEED_003=(--critic-dim 16 --spectral-norm pico)
SEED_000=(--loss mmd-gp --critic-dim 128)
# The model flags of an arm's name (without its seed), or nothing for an unknown name.
model_of() {
  case "$1" in
    mmd) model=("${SEED_003[@]}" --loss mmd --kernel rbf-mix --sigmas 1,1.4142135,2,2.8284271,4) ;;
    mmd-rep) model=("${SEED_003[@]}" --loss mmd-rep --kernel rbf-mix --sigmas 1) ;;
    mmd-rep-b) model=("${SEED_003[@]}" --loss mmd-rep-b) ;; # the loss brings its own kernel
    rq-gp1) model=("${SEED_000[@]}" --kernel rq-mix --gradient-penalty 1) ;;
    rbf-gp10) model=("${SEED_000[@]}" --kernel rbf-mix --sigmas 2,5,10,20,40,80 --gradient-penalty 10) ;;
    rq-gp0) model=("${SEED_000[@]}" --kernel rq-mix --gradient-penalty 0) ;;
    *) return 1 ;;
  esac
}
for arm in "${ARMS[@]}"; do # every name checked before hours of training
  if [[ ! "$arm" =~ -[0-9]+$ ]] || ! model_of "${arm%-*}"; then
    echo "unknown arm '$arm': the arms are mmd, mmd-rep, mmd-rep-b, rq-gp1, rbf-gp10, rq-gp0, then -SEED" >&2
    exit 2
  fi
done
mkdir -p "$OUT/results" "$OUT/runs"
for arm in "${ARMS[@]}"; do
  seed="${arm##*-}"
  model_of "${arm%-*}"
  run="$OUT/runs/$arm"
  start=$(date +%s)
  "$MMDGAN" train --dataset fashion-mnist --arch dcgan-28 "${model[@]}" --batch 64 --n-critic 1 --lr-g "$LR" --lr-d "$LR" \
    --beta2 0.999 --steps "$STEPS" --checkpoint-every 250 --seed "$seed" --out "$run" --json > "$run.train.json" 2> "$run.log"
  for step in $EVAL_STEPS; do
    if [[ $step -le $STEPS ]]; then
      "$MMDGAN" evaluate --checkpoint "$run/checkpoints/$(printf step-%08d "$step")" --json > "$OUT/results/$arm-$step.json"
      echo "$arm step $step: $(grep -o '"kid_mean" *: *[-0-9.eE]*' "$OUT/results/$arm-$step.json")"
    fi
  done
  echo "$arm: $(( $(date +%s) - start )) s"
done
