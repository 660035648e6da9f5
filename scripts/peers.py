#!/usr/bin/env python3
"""Checks rendered stacks with the real peers: cfn-lint and the AWS SAM translator.

    scripts/peers.py --check              exit 0 when the pinned peers are importable
    scripts/peers.py --menort PATH        render each stack with PATH, then for each:
        * cfn-lint (informational rules included) must report nothing at all;
        * the SAM translator must transform it, with local CodeUri folders replaced by
          s3:// URIs the way `sam validate` / `sam package` do.

The stacks: the built-in one, and every Tests/Fixtures/*.menort.yaml config.
"""
import argparse
import glob
import json
import logging
import os
import subprocess
import sys
import tempfile

CFN_LINT_VERSION = "1.58.0"
CFN_VALIDATE_VERSION = "1.14.0"


def check_installed():
    import cfnlint.version  # noqa: F401
    import samtranslator  # noqa: F401

    if cfnlint.version.__version__ != CFN_LINT_VERSION:
        raise SystemExit("cfn-lint %s installed, %s wanted" % (cfnlint.version.__version__, CFN_LINT_VERSION))
    # make defects asks AWS's cloudformation-validate too.
    from importlib.metadata import PackageNotFoundError, version
    try:
        installed = version("cloudformation-validate")
    except PackageNotFoundError:
        raise SystemExit("cloudformation-validate is not installed, %s wanted" % CFN_VALIDATE_VERSION)
    if installed != CFN_VALIDATE_VERSION:
        raise SystemExit("cloudformation-validate %s installed, %s wanted" % (installed, CFN_VALIDATE_VERSION))


def render(menort, config):
    args = [menort, "render"] + (["--config", config] if config else [])
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit("menort render %s failed (%d):\n%s" % (config or "", result.returncode, result.stderr))
    return result.stdout


def cfn_lint(path):
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())", "--include-checks", "I", "--format", "parseable", "--", path],
        capture_output=True, text=True)
    findings = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    return result.returncode, findings


class NoManagedPolicies:
    """The translator asks for managed policy ARNs by name; the stack names none."""

    def load(self):
        return {}


def sam_translate(text):
    """Transforms a template's text as `sam validate` would; raises what the translator raises."""
    return sam_translate_template(load_template(text))


def load_template(text):
    """The template as the translator reads it: short-form tags in their long form."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # CloudFormation short forms as the long forms the translator reads.
    def construct(tag):
        name = "Fn::GetAtt" if tag == "GetAtt" else ("Ref" if tag == "Ref" else "Fn::" + tag)

        def build(loader, node):
            if isinstance(node, yaml.ScalarNode):
                value = loader.construct_scalar(node)
                if tag == "GetAtt":
                    value = value.split(".", 1)
            elif isinstance(node, yaml.SequenceNode):
                value = loader.construct_sequence(node, deep=True)
            else:
                value = loader.construct_mapping(node, deep=True)
            return {name: value}
        return build

    for tag in ["Ref", "GetAtt", "Sub", "Join", "If", "Equals", "Not", "And", "Or", "Condition", "Select",
                "Split", "FindInMap", "ImportValue", "Base64", "GetAZs", "Cidr"]:
        Loader.add_constructor("!" + tag, construct(tag))

    return yaml.load(text, Loader=Loader)


def sam_translate_template(template):
    """Transforms a template already read (`load_template`); local CodeUri folders become s3:// URIs."""
    # The translator asks boto3 for a region to build partition-aware ARNs; any will do.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    # The translator warns about its own unpublished metrics after every transform: noise here.
    logging.getLogger("samtranslator").setLevel(logging.ERROR)
    from samtranslator.translator.transform import transform

    codeuris = 0
    for resource in template["Resources"].values():
        props = resource.get("Properties", {}) if isinstance(resource, dict) else None
        if not isinstance(props, dict) or resource.get("Type") != "AWS::Serverless::Function":
            continue
        uri = props.get("CodeUri")
        if isinstance(uri, str) and not uri.startswith("s3://"):
            props["CodeUri"] = "s3://menort-check/%s.zip" % uri.strip("/").replace("/", "-")
            codeuris += 1
    output = transform(template, {}, NoManagedPolicies())
    return template, output, codeuris


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--menort")
    args = parser.parse_args()
    if args.check:
        check_installed()
        return 0
    check_installed()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stacks = [None] + sorted(glob.glob(os.path.join(root, "Tests", "Fixtures", "*.menort.yaml")))
    failures = 0
    for config in stacks:
        name = os.path.relpath(config, root) if config else "built-in stack"
        text = render(args.menort, config)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "template.yaml")
            with open(path, "w") as f:
                f.write(text)
            code, findings = cfn_lint(path)
        if code != 0 or findings:
            failures += 1
            print("FAIL cfn-lint %s: exit %d" % (name, code))
            for line in findings:
                print("  " + line)
        else:
            print("ok   cfn-lint %s %s: no findings" % (CFN_LINT_VERSION, name))
        try:
            template, output, codeuris = sam_translate(text)
            functions = sum(1 for r in output["Resources"].values() if r["Type"] == "AWS::Lambda::Function")
            if functions != codeuris or functions == 0:
                raise ValueError("expected %d functions after the transform, found %d" % (codeuris, functions))
            print("ok   sam-translator %s: %d functions, %d resources" % (name, functions, len(output["Resources"])))
        except Exception as error:  # the translator raises its own exception types
            failures += 1
            print("FAIL sam-translator %s: %s" % (name, error))
    print("%d passed, %d failed" % (2 * len(stacks) - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
