#!/usr/bin/env python3
"""`make bench`: menort against cfn-lint and cloudformation-validate, side by side, one run.

    scripts/bench/run.py --menort PATH [--corpus DIR] [--quick]

Times each command with hyperfine (medians; the first runs are warm-ups), measures peak
RSS with GNU time, prints a table and checks the targets of issue 5:
  validate on the stack ≥ 150× faster than cfn-lint and ≥ 50× than cloudformation-validate,
  peak RSS ≤ 24 MiB, 10× the routes ≤ 12× the time, the 834 SAM templates in ≤ 1 s.
The peers are measured only when installed; a missing peer is reported, not faked.
"""
import argparse
import glob
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def have(module):
    return subprocess.run([sys.executable, "-c", "import " + module], capture_output=True).returncode == 0


def hyperfine(command, runs, warmup, cwd):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(["hyperfine", "-N", "-i", "--style", "none", "--warmup", str(warmup), "--runs", str(runs),
                        "--export-json", out.name, command], cwd=cwd, check=True, capture_output=True)
        result = json.load(open(out.name))["results"][0]
    return statistics.median(result["times"])


def peak_rss_kib(command, cwd):
    result = subprocess.run(["/usr/bin/time", "-f", "%M", "--"] + shlex.split(command), cwd=cwd, capture_output=True, text=True)
    return int(result.stderr.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--menort", required=True)
    parser.add_argument("--corpus", default=os.environ.get("MENORT_CORPUS", os.path.join(ROOT, "..", "shared", "corpus")))
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test of the harness)")
    args = parser.parse_args()
    menort = os.path.abspath(args.menort)
    if not shutil.which("hyperfine"):
        sys.exit("bench: hyperfine is missing (apt-get install hyperfine)")

    work = tempfile.mkdtemp(prefix="menort-bench-")
    template = os.path.join(ROOT, "templates", "realtime", "template.yaml")
    shutil.copy(template, os.path.join(work, "template.yaml"))
    for handler in ["connect", "disconnect", "default", "chat-send", "presence-update"]:
        os.makedirs(os.path.join(work, "lambda", "realtime", handler))
    for count in (100, 1000, 1001):
        with open(os.path.join(work, "stack-%d.yaml" % count), "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "gen-stack.py"), template, str(count)], stdout=f, check=True)
    # `menort diff`'s pairs: the stack with its stage renamed (a replacement, cascades and an
    # endpoint change), and 1,000 routes against 1,001.
    with open(template) as f:
        text = f.read()
    renamed = re.sub(r"(  StageName:\n(?:    .*\n)*?    Default: )prod", r"\1live", text, count=1)
    assert renamed != text, "the stack's StageName default was not found"
    with open(os.path.join(work, "template-live.yaml"), "w") as f:
        f.write(renamed)
    outputs = sorted(glob.glob(os.path.join(args.corpus, "sam", "output", "*.json")))
    corpus_args = " ".join(outputs)

    fast, slow = (5, 1) if args.quick else (30, 3)
    cfn_lint = have("cfnlint")
    cfn_validate = have("cloudformation_validate")
    lint = sys.executable + " -c 'import sys; from cfnlint.runner import main; sys.exit(main())' --"
    cfnv = sys.executable + " " + os.path.join(HERE, "cfn-validate.py")

    rows = []  # (name, tool, seconds, rss KiB or None)

    def measure(name, tool, command, runs, warmup, rss=True):
        seconds = hyperfine(command, runs, warmup, work)
        kib = peak_rss_kib(command, work) if rss else None
        rows.append((name, tool, seconds, kib))
        print("  %-32s %-24s %10.2f ms %s" % (name, tool, seconds * 1000, "" if kib is None else "%6.1f MiB" % (kib / 1024)), flush=True)
        return seconds

    print("menort bench in %s (medians of hyperfine runs; RSS = peak resident set)" % work, flush=True)
    times = {}
    times["menort stack"] = measure("validate: rendered stack", "menort", menort + " validate template.yaml", fast * 2, 5)
    measure("render: rendered stack", "menort", menort + " render", fast * 2, 5)
    times["menort 100"] = measure("validate: +100 routes", "menort", menort + " validate stack-100.yaml", fast, 3)
    times["menort 1000"] = measure("validate: +1000 routes", "menort", menort + " validate stack-1000.yaml", max(3, fast // 3), 1)
    times["diff stack"] = measure("diff: stack, stage renamed", "menort", menort + " diff template.yaml template-live.yaml", fast * 2, 5)
    times["diff 1000"] = measure("diff: 1000 -> 1001 routes", "menort", menort + " diff stack-1000.yaml stack-1001.yaml", max(3, fast // 3), 1)
    if outputs:
        times["menort corpus"] = measure("validate: %d SAM outputs" % len(outputs), "menort", menort + " validate " + corpus_args, max(3, fast // 3), 1, rss=True)
    if cfn_lint:
        times["cfn-lint stack"] = measure("validate: rendered stack", "cfn-lint", lint + " template.yaml", slow + 2, 1)
        times["cfn-lint 100"] = measure("validate: +100 routes", "cfn-lint", lint + " stack-100.yaml", slow, 0)
    else:
        print("  cfn-lint not installed: not measured")
    if cfn_validate:
        times["cfnv stack"] = measure("validate: rendered stack", "cloudformation-validate", cfnv + " template.yaml", slow + 2, 1)
        times["cfnv 100"] = measure("validate: +100 routes", "cloudformation-validate", cfnv + " stack-100.yaml", slow, 0)
    else:
        print("  cloudformation-validate not installed: not measured")

    print("\ntargets:")
    failures = 0

    def check(label, ok, detail):
        nonlocal failures
        failures += 0 if ok else 1
        print("  %-4s %-58s %s" % ("ok" if ok else "FAIL", label, detail))

    if "cfn-lint stack" in times:
        ratio = times["cfn-lint stack"] / times["menort stack"]
        check("validate stack >= 150x faster than cfn-lint", ratio >= 150, "%.0fx" % ratio)
    if "cfnv stack" in times:
        ratio = times["cfnv stack"] / times["menort stack"]
        check("validate stack >= 50x faster than cloudformation-validate", ratio >= 50, "%.0fx" % ratio)
    menort_rss = max(kib for (name, tool, _, kib) in rows
                     if tool == "menort" and kib is not None and name.endswith("rendered stack"))
    check("peak RSS on the stack <= 24 MiB", menort_rss <= 24 * 1024, "%.1f MiB" % (menort_rss / 1024))
    scale = times["menort 1000"] / times["menort 100"]
    check("10x the routes (100 -> 1000) <= 12x the time", scale <= 12, "%.1fx" % scale)
    check("diff of the rendered stack <= 10 ms", times["diff stack"] <= 0.010, "%.2f ms" % (times["diff stack"] * 1000))
    check("diff of two 1000-route stacks <= 500 ms", times["diff 1000"] <= 0.5, "%.0f ms" % (times["diff 1000"] * 1000))
    if "menort corpus" in times:
        check("%d SAM templates in one run <= 1 s" % len(outputs), times["menort corpus"] <= 1.0, "%.0f ms" % (times["menort corpus"] * 1000))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
