#!/usr/bin/env python3
"""`make bench-startup`: did linking SwiftNIO (for `menort local`) slow `validate`'s start-up?

    scripts/bench/startup.py --menort NEW --baseline OLD [--quick]

OLD is menort built from the commit before NIO (the Makefile builds BENCH_BASELINE, ebfd4ab,
with the same flags). Both run `validate` on the rendered stack and `--version`:
  - wall time with hyperfine, in many short rounds that alternate the two binaries (a burst
    of load elsewhere on the machine then hits both), medians and minimums over every run;
  - peak RSS with GNU time;
  - instructions with callgrind (deterministic, so a small change is visible where the wall
    clock is noise), and how many of them the Swift runtime spends looking up protocol
    conformances, whose first lookup for each type scans every conformance record in the
    binary (NIO adds records whether or not `local` runs).
Valgrind 3.19 cannot read the DWARF 5 that NIO's C modules carry, so callgrind runs on copies
with the debug sections stripped (the code, and so the count, is the same).
Target: `validate` on the stack takes no more instructions than the baseline's (+1%). The
wall-clock ratios are printed beside it but not judged: on a shared 2-core machine they move
by more than the change being looked for, while the instruction count does not move at all.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def hyperfine_times(commands, runs, warmup, cwd):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(["hyperfine", "-N", "-i", "--style", "none", "--warmup", str(warmup), "--runs", str(runs),
                        "--export-json", out.name] + commands, cwd=cwd, check=True, capture_output=True)
        return [result["times"] for result in json.load(open(out.name))["results"]]


def peak_rss_kib(argv, cwd):
    result = subprocess.run(["/usr/bin/time", "-f", "%M", "--"] + argv, cwd=cwd, capture_output=True, text=True)
    return int(result.stderr.strip().splitlines()[-1])


CONFORMANCE = re.compile(r"onformance|conformsToProtocol|equalContexts")


def callgrind(binary, args, cwd):
    """(instructions, of which in conformance lookups)."""
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, binary] + args,
                       cwd=cwd, check=True, capture_output=True)
        total = 0
        with open(out) as f:
            for line in f:
                if line.startswith("summary:") or line.startswith("totals:"):
                    total = int(line.split()[1])
                    break
        annotated = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100", out],
                                   capture_output=True, text=True).stdout
    lookups = 0
    for line in annotated.splitlines():
        match = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)", line)
        if match and CONFORMANCE.search(match.group(2)):
            lookups += int(match.group(1).replace(",", ""))
    return total, lookups


def conformance_records(binary):
    sections = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True).stdout
    for line in sections.splitlines():
        if "swift5_protocol_conformances" in line:
            fields = line.split("]", 1)[1].split()
            return int(fields[4], 16) // 4
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--menort", required=True, help="the binary under test")
    parser.add_argument("--baseline", required=True, help="menort built before NIO")
    parser.add_argument("--label", default="ebfd4ab", help="what the baseline is, for the table")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="write every number here")
    args = parser.parse_args()
    if not shutil.which("hyperfine"):
        sys.exit("bench-startup: hyperfine is missing (apt-get install hyperfine)")
    new, old = os.path.abspath(args.menort), os.path.abspath(args.baseline)

    work = tempfile.mkdtemp(prefix="menort-bench-startup-")
    try:
        shutil.copy(os.path.join(ROOT, "templates", "realtime", "template.yaml"), os.path.join(work, "template.yaml"))
        for handler in ["connect", "disconnect", "default", "chat-send", "presence-update"]:
            os.makedirs(os.path.join(work, "lambda", "realtime", handler))
        cases = [("validate: rendered stack", ["validate", "template.yaml"]), ("--version", ["--version"])]
        rounds, runs, warmup = (2, 20, 3) if args.quick else (16, 20, 3)
        times = {(name, which): [] for name, _ in cases for which in ("old", "new")}
        for round_number in range(rounds):
            order = [("old", old), ("new", new)] if round_number % 2 == 0 else [("new", new), ("old", old)]
            commands, keys = [], []
            for name, argv in cases:
                for which, binary in order:
                    commands.append(" ".join([binary] + argv))
                    keys.append((name, which))
            for key, samples in zip(keys, hyperfine_times(commands, runs, warmup, work)):
                times[key] += samples
        results = {"baseline": args.label, "cases": {}}
        print("validate's start-up: %s (before NIO) against this build; medians of %d runs each, alternating" % (
            args.label, rounds * runs), flush=True)
        print("  %-26s %-10s %10s %10s %10s %13s %13s" % ("", "", "median", "min", "peak RSS", "instructions", "conf. lookups"))
        have_valgrind = shutil.which("valgrind") is not None and shutil.which("strip") is not None
        stripped = {}
        if have_valgrind:
            for which, binary in (("old", old), ("new", new)):
                stripped[which] = os.path.join(work, "menort-" + which)
                subprocess.run(["strip", "--strip-debug", "-o", stripped[which], binary], check=True)
        for name, argv in cases:
            case = {}
            for which, binary in (("old", old), ("new", new)):
                row = {"median": statistics.median(times[(name, which)]), "min": min(times[(name, which)]),
                       "runs": len(times[(name, which)]), "rss_kib": peak_rss_kib([binary] + argv, work)}
                if have_valgrind:
                    row["instructions"], row["conformance_lookups"] = callgrind(stripped[which], argv, work)
                case[which] = row
                print("  %-26s %-10s %7.2f ms %7.2f ms %6.1f MiB %13s %13s" % (
                    name, args.label if which == "old" else "this", row["median"] * 1000, row["min"] * 1000, row["rss_kib"] / 1024,
                    "{:,}".format(row["instructions"]) if "instructions" in row else "-",
                    "{:,}".format(row["conformance_lookups"]) if "conformance_lookups" in row else "-"), flush=True)
            case["time_ratio"] = case["new"]["median"] / case["old"]["median"]
            case["min_ratio"] = case["new"]["min"] / case["old"]["min"]
            case["rss_ratio"] = case["new"]["rss_kib"] / case["old"]["rss_kib"]
            if have_valgrind:
                case["instruction_ratio"] = case["new"]["instructions"] / case["old"]["instructions"]
            results["cases"][name] = case
        records = {which: conformance_records(binary) for which, binary in (("old", old), ("new", new))}
        results["conformance_records"] = records
        results["binary_bytes"] = {"old": os.path.getsize(old), "new": os.path.getsize(new)}
        print("  binary: %.1f -> %.1f MB; protocol conformance records: %s -> %s" % (
            os.path.getsize(old) / 1e6, os.path.getsize(new) / 1e6, records["old"], records["new"]))
        if not have_valgrind:
            print("  valgrind is missing: no instruction counts (apt-get install valgrind)")

        print("\ntargets:")
        failures = 0
        for name, _ in cases:
            case = results["cases"][name]
            detail = "median x%.3f, min x%.3f" % (case["time_ratio"], case["min_ratio"])
            if "instruction_ratio" in case:
                detail += ", instructions x%.3f (%+.1f M, %+.1f M in conformance lookups)" % (
                    case["instruction_ratio"], (case["new"]["instructions"] - case["old"]["instructions"]) / 1e6,
                    (case["new"]["conformance_lookups"] - case["old"]["conformance_lookups"]) / 1e6)
            if name.startswith("validate"):
                ok = case.get("instruction_ratio", 1.0) <= 1.01
                failures += 0 if ok else 1
                print("  %-4s %-58s %s" % ("ok" if ok else "FAIL", "%s unchanged by NIO (vs %s)" % (name, args.label), detail))
            else:
                print("  %-4s %-58s %s" % ("info", "%s (vs %s)" % (name, args.label), detail))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=2)
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
