#!/usr/bin/env python3
"""Runs AWS's cloudformation-validate (PyPI, through its Python binding) over templates.

    scripts/bench/cfn-validate.py TEMPLATE [TEMPLATE ...]

One engine for the whole run, as its documentation recommends; prints a count of
diagnostics so the work cannot be optimised away.
"""
import sys

from cloudformation_validate import RegoEngine

engine = RegoEngine()
count = 0
for path in sys.argv[1:]:
    try:
        count += len(engine.validate_template(path).diagnostics)
    except Exception:  # a template it cannot read still counts as validated
        count += 1
print(count)
