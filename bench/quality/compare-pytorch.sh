#!/usr/bin/env bash
# Sample quality per training step: the README's Fashion-MNIST recipe in the product and in plain PyTorch
# (bench/pytorch/mmd_gan_recipe.py), several seeds, each evaluated by `mmdgan evaluate` (KID on the product's
# feature network against the 10,000 test images). docs/quality.md reports what this printed.
#
#   bench/quality/compare-pytorch.sh [ARM ...]
#
# An arm is torch-SEED, or INIT-SEED for the product with --init INIT (he-normal, pytorch, dcgan); the default is
# every arm of docs/quality.md. Environment (defaults in brackets):
#   TORCH_STEPS [1000]   PyTorch steps; its samples are saved at half and at the end
#   STEPS [2000]         product steps; checkpoints every 250, evaluated at EVAL_STEPS
#   EVAL_STEPS [500 1000 1250 1500 1750 2000]
#   TIME_LIMIT           e.g. 10m: every run trains for this long instead (equal wall time); both are evaluated at
#                        the EVAL_STEPS they reach and at their last step, the latter as ARM-TIME_LIMIT.json
#   OUT [quality-runs]   runs and results (results/*.json, one per arm and step)
#   MMDGAN [./mmdgan]    the command line to use
#   PYTHON [/usr/bin/python3]  a Python with torch (Debian: apt-get install python3-torch libopenblas0-pthread)
# Needs feature-nets/fashion-mnist-cnn/v1 in the working folder (`./mmdgan features train --dataset fashion-mnist`).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MMDGAN="${MMDGAN:-$ROOT/mmdgan}"
PYTHON="${PYTHON:-/usr/bin/python3}"
OUT="${OUT:-quality-runs}"
TORCH_STEPS="${TORCH_STEPS:-1000}"
STEPS="${STEPS:-2000}"
EVAL_STEPS="${EVAL_STEPS:-500 1000 1250 1500 1750 2000}"
TIME_LIMIT="${TIME_LIMIT:-}"
# What each side is told: the product a step count (and a time limit), PyTorch the same and the steps to save.
LIMIT_ARGS=()
TORCH_ARGS=(--save-at $((TORCH_STEPS / 2)))
if [[ -n "$TIME_LIMIT" ]]; then
  [[ "$TIME_LIMIT" =~ ^([0-9]+)(s|m|h)$ ]] || { echo "TIME_LIMIT must be like 600s, 10m or 1h, got '$TIME_LIMIT'" >&2; exit 2; }
  declare -A UNIT=([s]=1 [m]=60 [h]=3600)
  TORCH_STEPS=1000000000 STEPS=1000000000
  LIMIT_ARGS=(--time-limit "$TIME_LIMIT")
  TORCH_ARGS=(--time-limit $(( ${BASH_REMATCH[1]} * ${UNIT[${BASH_REMATCH[2]}]} )) --save-at "${EVAL_STEPS// /,}")
fi
ARMS=("$@")
[[ ${#ARMS[@]} -gt 0 ]] || ARMS=(torch-0 he-normal-0 pytorch-0 torch-1 pytorch-1 he-normal-1 torch-2 pytorch-2 he-normal-2)
mkdir -p "$OUT/results" "$OUT/runs"

evaluate() { # ARM STEP ARGS...
  local arm=$1 step=$2
  shift 2
  "$MMDGAN" evaluate "$@" --json > "$OUT/results/$arm-$step.json"
  echo "$arm step $step: $(grep -o '"kid_mean" *: *[-0-9.eE]*' "$OUT/results/$arm-$step.json")"
}

for arm in "${ARMS[@]}"; do
  seed="${arm##*-}"
  name="${arm%-*}"
  run="$OUT/runs/$arm"
  start=$(date +%s)
  if [[ "$name" == torch ]]; then
    "$PYTHON" "$HERE/../pytorch/mmd_gan_recipe.py" --steps "$TORCH_STEPS" "${TORCH_ARGS[@]}" --seed "$seed" --out "$run" \
      > "$run.log" 2>&1
    cp "$run/log.json" "$OUT/results/$arm-log.json"
    last=$(ls "$run"/samples-*.npy | sed 's/.*samples-\([0-9]*\)\.npy/\1/' | sort -n | tail -1)
    for file in "$run"/samples-*.npy; do
      step=$(basename "$file" .npy); step=${step#samples-}
      label=$step; [[ -n "$TIME_LIMIT" && $step == "$last" ]] && label=$TIME_LIMIT
      evaluate "$arm" "$label" --samples "$file" --dataset fashion-mnist
    done
  else
    "$MMDGAN" train --dataset fashion-mnist --arch dcgan-28 --loss mmd-gp --kernel rq-mix --critic-dim 128 --batch 64 \
      --n-critic 1 --lr-g 2e-4 --lr-d 2e-4 --beta2 0.999 --steps "$STEPS" --checkpoint-every 250 --seed "$seed" \
      --init "$name" "${LIMIT_ARGS[@]}" --out "$run" --json > "$run.train.json" 2> "$run.log"
    cp "$run.train.json" "$OUT/results/$arm-train.json"
    last=$(grep -o '"steps":[0-9]*' "$run.train.json" | cut -d: -f2)
    for step in $EVAL_STEPS; do
      [[ $step -lt $last ]] && evaluate "$arm" "$step" --checkpoint "$run/checkpoints/$(printf step-%08d "$step")"
    done
    evaluate "$arm" "${TIME_LIMIT:-$last}" --checkpoint "$run/checkpoints/$(printf step-%08d "$last")"
  fi
  echo "$arm: $(( $(date +%s) - start )) s"
done
