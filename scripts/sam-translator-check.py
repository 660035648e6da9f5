#!/usr/bin/env python3
"""Confirms the sam family's findings with the real SAM translator.

    scripts/sam-translator-check.py [--cases Tests/Fixtures/sam-cases.yaml]
    scripts/sam-translator-check.py --menort PATH --corpus DIR

The first form replays the test table; the second runs `menort validate --rules sam` over the
translator's own error cases (DIR/sam/input/error_*.yaml): for every resource with a sam error
the translator must refuse the file, naming that resource, for the reason the rule gives. It
stops at the first failing phase and reports one error per resource, so the file is retried
without the resources it names before (see `refusal`).

Each case of the table (see the file's header) says whether the translator that aws-sam-cli
pins `refuses` its template (with a message containing `because`) or `accepts` it. The Swift tests check what menort reports on the
same cases; this script checks that the translator agrees, so an error of the sam family is
one `sam validate` / `sam deploy` would really fail on, and its near misses really pass.
Local CodeUri folders are replaced by s3:// URIs the way `sam package` does (peers.py).
"""
import argparse
import copy
import glob
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


# What the translator says when it refuses what each rule reports.
REASONS = {
    "sam-globals-section": ["InvalidGlobalsSectionException"],
    "sam-globals-key": ["InvalidGlobalsSectionException"],
    "sam-ignore-globals": ["IgnoreGlobals"],
    "sam-policy-template": ["Policy at index"],
    "sam-policy-entry": ["Policy at index", "Type of property 'Policies' is invalid"],
    "sam-policy-template-value": ["Must specify valid parameter values"],
    "sam-policy-template-parameter": ["Following required parameters"],
    "sam-resource-property": ["not defined for resource of type"],
    "sam-resource-required": ["Missing required property", "missing the required"],
    "sam-event-type": ["Event Type is"],
    "sam-event-property": ["not defined for resource of type", "is an invalid property"],
    "sam-event-required": ["Missing required property", "is required"],
    "sam-function-runtime": ["Runtime and Handler needs to be present"],
    "sam-state-machine-role-policies": ["Specify either 'Role' or 'Policies'"],
    "sam-deployment-preference": ["requires AutoPublishAlias", "missing required Property 'Type'",
                                  "'Hooks' property of 'DeploymentPreference' must be a dictionary"],
}


# The properties a rule reads: when the translator refuses a resource for another reason first,
# the resource is retried with only these (it reports one error per resource).
READS = {
    "sam-function-runtime": {"Runtime", "Handler", "CodeUri", "InlineCode", "PackageType", "ImageUri", "ImageConfig"},
    "sam-deployment-preference": {"DeploymentPreference", "AutoPublishAlias", "Runtime", "Handler", "CodeUri", "InlineCode"},
}


def translate_error(template):
    """The translator's message for a template read by peers.load_template, or None when it accepts it."""
    try:
        peers.sam_translate_template(copy.deepcopy(template))
        return None
    except Exception as error:  # the translator raises its own exception types
        return str(error)


def refusal(template, logical_id, rules):
    """The translator's refusal of `logical_id` for one of `reasons`, or None.

    The translator reports one error per resource and stops at the first failing phase, so the
    template is retried without the resources it names before, and finally with the resource
    alone among the plain CloudFormation ones.
    """
    reasons = [reason for rule in rules for reason in REASONS[rule]]

    def confirms(message):
        return message is not None and logical_id in message and any(reason in message for reason in reasons)

    attempt = copy.deepcopy(template)
    for _ in range(6):
        message = translate_error(attempt)
        if message is None:
            break
        if confirms(message):
            return message
        others = [name for name in attempt["Resources"] if name != logical_id and ("'%s'" % name) in message]
        if not others:
            break
        for name in others:
            del attempt["Resources"][name]
    alone = {key: value for key, value in template.items() if key != "Resources"}
    alone["Resources"] = {name: resource for name, resource in template["Resources"].items()
                          if name == logical_id or not (isinstance(resource, dict)
                                                        and str(resource.get("Type", "")).startswith("AWS::Serverless::"))}
    message = translate_error(alone)
    if confirms(message):
        return message
    if rules and all(rule in READS for rule in rules):
        kept = set().union(*(READS[rule] for rule in rules))
        target = copy.deepcopy(template["Resources"][logical_id])
        target["Properties"] = {k: v for k, v in (target.get("Properties") or {}).items() if k in kept}
        if not {"CodeUri", "InlineCode", "ImageUri"} & set(target["Properties"]):
            # SAM CLI builds and packages a function without CodeUri from the template's folder.
            target["Properties"]["CodeUri"] = "s3://menort-check/default.zip"
        alone["Resources"] = {logical_id: target}
        message = translate_error(alone)
        if confirms(message):
            return message
    return None


def check_corpus(menort, corpus):
    import json
    import subprocess

    files = sorted(glob.glob(os.path.join(corpus, "sam", "input", "error_*.yaml")))
    result = subprocess.run([menort, "validate", "--rules", "sam", "--format", "json"] + files, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit("menort validate exited %d: %s" % (result.returncode, result.stderr))
    findings = {}
    for diagnostic in json.loads(result.stdout)["diagnostics"]:
        if diagnostic["severity"] == "error":
            key = (diagnostic["file"], diagnostic.get("logicalId") or "")
            findings.setdefault(key, set()).add(diagnostic["rule"])
    failures = 0
    for (path, logical_id), rules in sorted(findings.items()):
        with open(path) as f:
            template = peers.load_template(f.read())
        if logical_id:
            confirmed = refusal(template, logical_id, rules)
        else:  # Globals: the whole template, whose Globals the translator reads first
            reasons = [reason for rule in rules for reason in REASONS[rule]]
            message = translate_error(template)
            confirmed = message if message and any(reason in message for reason in reasons) else None
        if confirmed is None:
            failures += 1
            print("FAIL sam-translator does not refuse %s %s for %s" % (os.path.basename(path), logical_id or "Globals",
                                                                       ", ".join(sorted(rules))))
    print("sam-translator %s on the corpus' error cases: %d of %d resources menort reports refused for the rule's reason"
          % (__import__("samtranslator").__version__, len(findings) - failures, len(findings)))
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", default=os.path.join(ROOT, "Tests", "Fixtures", "sam-cases.yaml"))
    parser.add_argument("--menort")
    parser.add_argument("--corpus")
    args = parser.parse_args()
    import samtranslator

    if args.corpus:
        if not os.path.isdir(os.path.join(args.corpus, "sam", "input")):
            print("sam-translator: skipped the corpus' error cases, %s/sam/input not found" % args.corpus)
            return 0
        return 1 if check_corpus(args.menort, args.corpus) else 0

    with open(args.cases) as f:
        cases = yaml.safe_load(f)
    with open(os.path.join(ROOT, "templates", "realtime", "template.yaml")) as f:
        stack = f.read()
    failures = 0
    for case in cases:
        wanted = case["translator"]
        if wanted == "unknown":
            continue  # CloudFormation changes the template before SAM sees it
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
    replayed = [c for c in cases if c["translator"] != "unknown"]
    print("sam-translator %s: %d of %d cases as the table says (%d refused, %d accepted, %d not replayed)"
          % (samtranslator.__version__, len(replayed) - failures, len(replayed),
             sum(c["translator"] == "refuses" for c in cases), sum(c["translator"] == "accepts" for c in cases),
             len(cases) - len(replayed)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
