"""Summarizes compare-pytorch.sh's results: KID per arm and step, mean ± standard deviation over seeds.

Usage: python3 bench/quality/summarize.py [OUT]   (OUT defaults to quality-runs; reads OUT/results/ARM-SEED-STEP.json)
Prints a Markdown table, one row per (arm, step), with the seeds' KIDs and their mean and standard deviation.
"""
import glob
import json
import os
import statistics
import sys
from collections import defaultdict


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "quality-runs"
    cells = defaultdict(dict)
    for path in glob.glob(os.path.join(out, "results", "*.json")):
        name = os.path.basename(path)[:-len(".json")]
        arm_seed, step = name.rsplit("-", 1)
        arm, seed = arm_seed.rsplit("-", 1)
        with open(path) as f:
            cells[(arm, int(step))][int(seed)] = json.load(f)["kid_mean"]
    print("| arm | step | seeds | KID per seed | mean ± sd |")
    print("| --- | ---: | ---: | --- | --- |")
    for (arm, step) in sorted(cells):
        kids = [cells[(arm, step)][s] for s in sorted(cells[(arm, step)])]
        sd = statistics.stdev(kids) if len(kids) > 1 else float("nan")
        print(f"| {arm} | {step} | {len(kids)} | {', '.join(f'{k:.2f}' for k in kids)} | "
              f"{statistics.mean(kids):.2f} ± {sd:.2f} |")


if __name__ == "__main__":
    main()
