#!/usr/bin/env python3
"""Confirms the sam family's test table with the real SAM translator.

    scripts/sam-translator-check.py [--cases Tests/Fixtures/sam-cases.yaml]

Each case of the table (see the file's header) says whether the translator that aws-sam-cli
pins `refuses` its template (with a message containing `because`) or `accepts` it. The Swift tests check what menort reports on the
same cases; this script checks that the translator agrees, so an error of the sam family is
one `sam validate` / `sam deploy` would really fail on, and its near misses really pass.
Local CodeUri folders are replaced by s3:// URIs the way `sam package` does (peers.py).
"""
import argparse
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402  (the one SAM translation helper of the project's scripts)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def template_text(case, stack):
    if "template" in case:
        return case["template"]
    text = stack
    for old, new in case["edits"]:
        if text.count(old) != 1:
            raise ValueError("edit %r does not occur exactly once in the rendered stack" % old)
        text = text.replace(old, new)
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default=os.path.join(ROOT, "Tests", "Fixtures", "sam-cases.yaml"))
    args = parser.parse_args()
    import samtranslator

    with open(args.cases) as f:
        cases = yaml.safe_load(f)
    with open(os.path.join(ROOT, "templates", "realtime", "template.yaml")) as f:
        stack = f.read()
    failures = 0
    for case in cases:
        wanted = case["translator"]
        try:
            peers.sam_translate(template_text(case, stack))
            got, detail = "accepts", ""
        except ValueError as error:
            if "exactly once" in str(error):
                raise
            got, detail = "refuses", str(error)
        except Exception as error:  # the translator raises its own exception types
            got, detail = "refuses", str(error)
        if got != wanted:
            failures += 1
            print("FAIL sam-translator %s %s, the table says it %s: %s" % (got, case["name"], wanted, detail[:300]))
        elif got == "refuses" and case.get("because", "") not in detail:
            # Refused, but for another reason than the defect the case is about.
            failures += 1
            print("FAIL sam-translator refuses %s with %r, not %r" % (case["name"], detail[-300:], case.get("because")))
    print("sam-translator %s: %d of %d cases as the table says (%d refused, %d accepted)"
          % (samtranslator.__version__, len(cases) - failures, len(cases),
             sum(c["translator"] == "refuses" for c in cases), sum(c["translator"] == "accepts" for c in cases)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
