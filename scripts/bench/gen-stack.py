#!/usr/bin/env python3
"""Writes the rendered realtime stack with N extra routes, for scaling benchmarks.

    scripts/bench/gen-stack.py TEMPLATE N > stack-N.yaml

Each extra route copies chat.send's four resources (function, integration, route,
permission) under new names and adds it to the deployment's DependsOn, so the template
stays consistently wired and validate does the same work per route as on the real stack.
More than 300 routes exceed API Gateway's quota (and 500 resources CloudFormation's), so
big stacks are expected to produce those findings; the benchmark measures the work.
"""
import re
import sys


def main():
    path, count = sys.argv[1], int(sys.argv[2])
    text = open(path).read()
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if l == "  ChatSendFunction:")
    end = next(i for i, l in enumerate(lines) if l == "  PresenceUpdateFunction:")
    block = "\n".join(lines[start:end])
    copies = []
    for index in range(count):
        copy = block.replace("ChatSend", "Bench%d" % index).replace("chat.send", "bench.%d" % index)
        copy = copy.replace("chat-send", "bench-%d" % index)
        copies.append(copy)
    lines[end:end] = copies
    text = "\n".join(lines)
    depends = "".join("    - Bench%dRoute\n" % index for index in range(count))
    text = re.sub(r"(    - PresenceUpdateRoute\n)", lambda m: m.group(1) + depends, text, count=1)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
