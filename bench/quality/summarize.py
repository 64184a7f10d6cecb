"""Summarizes the results of compare-pytorch.sh and orderings.sh: KID per arm and step, mean ± standard deviation over
seeds, and paired differences between arms with a 95% t interval over the seeds they share.

Usage: python3 bench/quality/summarize.py [OUT] [A:B ...]
  OUT defaults to quality-runs; reads OUT/results/ARM-SEED-STEP.json (or OUT/ARM-SEED-STEP.json, as in the
  results-* folders kept in the repository). STEP is a step, or a time limit such as 10m for the last step of a run
  trained for that long (compare-pytorch.sh with TIME_LIMIT).
  Each A:B pair (arm names joined by a colon, e.g. mmd-rep:mmd) adds a table of KID(A) − KID(B) per seed and step.
Prints Markdown tables.
"""
import glob
import json
import os
import re
import statistics
import sys
from collections import defaultdict

# Two-sided 95% quantiles of Student's t for 1 to 10 degrees of freedom; 1.96 (the normal's) beyond.
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228]


TIME_LABEL = re.compile(r"[0-9]+(s|m|h)")


def t95(degrees):
    return T95[degrees - 1] if degrees <= len(T95) else 1.96


def read(out):
    cells = defaultdict(dict)
    folder = os.path.join(out, "results") if os.path.isdir(os.path.join(out, "results")) else out
    for path in glob.glob(os.path.join(folder, "*.json")):
        name = os.path.basename(path)[:-len(".json")]
        arm_seed, step = name.rsplit("-", 1)
        if not (step.isdigit() or TIME_LABEL.fullmatch(step)):
            continue  # ARM-SEED-train.json, ARM-SEED-log.json: a run's timing
        arm, seed = arm_seed.rsplit("-", 1)
        with open(path) as f:
            cells[(arm, int(step) if step.isdigit() else step)][int(seed)] = json.load(f)["kid_mean"]
    return cells


def step_order(step):
    """Steps in order, then the time-limited ends (a run's last step after TIME_LIMIT, e.g. 10m)."""
    return (0, step, "") if isinstance(step, int) else (1, 0, step)


def per_arm(cells):
    print("| arm | step | seeds | KID per seed | mean ± sd |")
    print("| --- | ---: | ---: | --- | --- |")
    for (arm, step) in sorted(cells, key=lambda cell: (cell[0], step_order(cell[1]))):
        kids = [cells[(arm, step)][s] for s in sorted(cells[(arm, step)])]
        sd = statistics.stdev(kids) if len(kids) > 1 else float("nan")
        print(f"| {arm} | {step} | {len(kids)} | {', '.join(f'{k:.2f}' for k in kids)} | "
              f"{statistics.mean(kids):.2f} ± {sd:.2f} |")


def paired(cells, a, b):
    print()
    print(f"| KID({a}) − KID({b}) at step | seeds | per seed | mean [95% t interval] |")
    print("| ---: | --- | --- | --- |")
    arms = {arm for (arm, _) in cells}
    for arm in (a, b):
        if arm not in arms:
            sys.exit(f"no results of arm '{arm}'; the arms are {', '.join(sorted(arms))}")
    steps = sorted({s for (arm, s) in cells if arm == a} & {s for (arm, s) in cells if arm == b}, key=step_order)
    for step in steps:
        seeds = sorted(set(cells[(a, step)]) & set(cells[(b, step)]))
        if not seeds:
            continue
        diffs = [cells[(a, step)][s] - cells[(b, step)][s] for s in seeds]
        mean = statistics.mean(diffs)
        if len(diffs) > 1:
            half = t95(len(diffs) - 1) * statistics.stdev(diffs) / len(diffs) ** 0.5
            interval = f"[{mean - half:.2f}, {mean + half:.2f}]"
        else:
            interval = "(one seed)"
        print(f"| {step} | {', '.join(map(str, seeds))} | {', '.join(f'{d:+.2f}' for d in diffs)} | {mean:+.2f} {interval} |")


def main():
    args = sys.argv[1:]
    pairs = [a for a in args if ":" in a and not os.path.isdir(a)]
    rest = [a for a in args if a not in pairs]
    cells = read(rest[0] if rest else "quality-runs")
    per_arm(cells)
    for pair in pairs:
        a, b = pair.split(":", 1)
        paired(cells, a, b)


if __name__ == "__main__":
    main()
