#!/usr/bin/env python3
"""Compares menort validate with cfn-lint 1.58 on cfn-lint's own good/bad fixtures.

    scripts/compare-cfn-lint.py --menort .build/debug/menort [--corpus DIR] [--markdown docs/cfn-lint-comparison.md]

cfn-lint's findings come from the corpus' expected.jsonl (cfn-lint 1.58.0 run on each file).
Only the checks both tools make are compared, grouped into concepts below; for each
concept and file, a tool "flags" the file when any of its rules of that concept fire. The
result lists agreement and every file where the two differ.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

# concept: (cfn-lint rule ids, menort rule ids or prefixes ending in '*')
CONCEPTS = collections.OrderedDict([
    ("YAML/JSON cannot be parsed", (["E0000"], ["yaml-*"])),
    ("template sections and format version", (["E1001", "E1002", "E1003", "E1004"],
        ["template-unknown-section", "template-missing-resources", "template-empty-resources", "template-section-not-mapping",
         "template-format-version", "template-description", "template-globals-without-sam"])),
    ("resource type and resource attributes", (["E3001", "E3006"],
        ["template-unknown-resource-type", "template-resource-missing-type", "template-resource-type-not-string",
         "template-resource-not-mapping", "template-unknown-resource-attribute", "template-serverless-without-transform",
         "template-logical-id"])),
    ("DeletionPolicy / UpdateReplacePolicy", (["E3035", "E3036"], ["template-policy-value", "template-snapshot-unsupported"])),
    ("GetAtt target and attribute", (["E1010"], ["template-getatt-attribute", "refs-undefined-getatt"])),
    ("Ref / Sub names something declared", (["E1012", "E1019", "E1020"], ["refs-undefined-ref", "refs-undefined-sub"])),
    ("intrinsic function shapes", (["E1011", "E1015", "E1016", "E1017", "E1018", "E1021", "E1022", "E1028", "E1032",
        "E8003", "E8004", "E8005", "E8006"], ["template-intrinsic-shape"])),
    ("`${…}` outside Fn::Sub", (["E1029"], ["template-sub-needed"])),
    ("conditions declared", (["E8002"], ["refs-undefined-condition"])),
    ("DependsOn", (["E3005"], ["refs-undefined-depends-on", "refs-depends-on-self"])),
    ("circular dependencies", (["E3004"], ["refs-cycle"])),
    ("mappings", (["E7001"], ["refs-undefined-mapping", "refs-undefined-mapping-key"])),
    ("unused parameters", (["W2001"], ["refs-unused-parameter"])),
    ("unused conditions", (["W8001"], ["refs-unused-condition"])),
    ("unused mappings", (["W7001"], ["refs-unused-mapping"])),
    ("parameter definitions", (["E2001", "E2002", "E2015", "W2030", "E2011"], ["params-*"])),
    ("Lambda runtime deprecation", (["E2531", "E2533", "W2531", "W2533"],
        ["template-runtime-deprecated", "template-runtime-blocked", "template-runtime-unknown"])),
    ("DynamoDB attribute definitions", (["E3039"], ["template-dynamodb-attribute-unused", "template-dynamodb-key-undefined"])),
    ("DynamoDB throughput and billing mode", (["E3639"], ["template-dynamodb-throughput"])),
    ("Lambda environment variable names", (["E3663"], ["template-lambda-environment-name"])),
    ("IAM policy documents", (["E3510", "E3512", "E3513", "E3530"], ["iam-*"])),
    ("SAM transform: policy templates, Globals, IgnoreGlobals, Serverless properties", (["E0001", "E3724"], ["sam-*"])),
    ("outputs: keys, Value, Export Name", (["E6001", "E6002", "E6003", "E6101", "E6102"],
        ["template-output-value", "template-output-key", "template-export-name", "template-export-name-characters",
         "template-export-name-unicode", "template-export-name-duplicate"])),
    ("unknown resource property", (["E3002"], ["schema-unknown-property"])),
    ("required resource property", (["E3003", "E3017", "E3018", "E3021"], ["schema-required"])),
    ("property value type", (["E3012"], ["schema-type"])),
    ("property allowed values", (["E3030"], ["schema-enum", "schema-enum-case", "schema-parameter-value"])),
    ("property number range", (["E3034"], ["schema-range"])),
    ("property string length", (["E3033"], ["schema-length"])),
    ("property string pattern", (["E3031"], ["schema-pattern"])),
    ("property list size", (["E3032"], ["schema-items"])),
    ("property list items unique", (["E3037"], ["schema-unique-items"])),
])

# Why the two differ, concept by concept: read off the files listed under each heading.
NOTES = {
    "YAML/JSON cannot be parsed":
        "`bad/empty_file.yaml`: cfn-lint files an empty template under E1001, menort under yaml-empty (same defect, "
        "another concept). The tagged mapping key of `bad/core_parse_invalid_map.yaml` is yaml-complex-key in both.",
    "template sections and format version":
        "menort reports `Resources: {}` (CloudFormation refuses it: 'At least one Resources member must be defined'); "
        "cfn-lint's configuration fixtures use it as a placeholder, and cfn-lint does not check it. cfn-lint's E1001 on "
        "`bad/conditions.yaml` is a section entry with no value (`Key:` alone), a JSON-schema type check menort does not make.",
    "resource type and resource attributes":
        "`modules_bad_has_*_policy.yaml`: CloudFormation modules with CreationPolicy/UpdatePolicy; menort does not check "
        "modules. `good/schema_resource.yaml` declares `Initech::TPS::Report`: menort accepts private registry types "
        "(Org::Service::Thing), which may be registered in the deploying account. E3001 on `bad/conditions.yaml` is a "
        "boolean where a condition name was expected (`Condition: false`), a type check.",
    "GetAtt target and attribute":
        "cfn-lint reports the typo `mySubnet2.AvailbilityZone` of `bad/functions_getaz.yaml` inside `Fn::Select` under "
        "E1017, so it lands in another concept; `ElasticLoadBalancer.DNE` in `bad/generic.yaml` is absent from cfn-lint's "
        "expected output. `good/functions_sub_needed.yaml` really reads an undeclared `GreetingLambda` (cfn-lint reports "
        "the same place as E1022). E1010 on `good/custom_is-not-defined.yaml` is a schema type check of a custom-rule fixture.",
    "Ref / Sub names something declared":
        "cfn-lint's E1020 on `bad/conditions_equals.yaml` is a Ref where a plain string was required (a type check, not an "
        "undeclared name); its E1019 on `bad/resources_circular_dependency.yaml` is a Sub given a mapping, which menort "
        "reports as template-intrinsic-shape. menort's refs findings on `bad/core_parse_invalid_map.yaml` are real: "
        "the file never declares the parameters it references (cfn-lint stops at the parse error).",
    "intrinsic function shapes":
        "cfn-lint's E1021/E1022 in good fixtures are `Fn::Transform` arguments and undeclared names; menort lets a macro "
        "argument stand for anything. cfn-lint checks values inside functions against the resource schema (E1017: "
        "`!GetAZs us-east-1a` is a zone, not a region; E1011: FindInMap where an object was required), which menort "
        "does not. E8004/E1028 on `bad/core_conditions_missing.yaml` and `bad/conditions.yaml` are undeclared "
        "conditions, which menort reports under refs-undefined-condition.",
    "conditions declared":
        "All four are undeclared condition names; cfn-lint reports them under other ids (E8004, E1028) or, in "
        "`bad/properties_rt_association.yaml` and `bad/resources_iam_iam_policy.yaml`, not at all.",
    "circular dependencies":
        "`bad/conditions_and.yaml`: TestAndToLittle and TestAndToMany refer to each other; cfn-lint reports the two "
        "conditions' shapes (E8004) but not the circle.",
    "mappings":
        "cfn-lint's E7001 checks mapping names and keys against `^[a-zA-Z0-9]+$` (`Bad.Name`, numeric keys `32`); menort "
        "does not check key spelling. `bad/functions_base64.yaml` looks up a mapping the template never declares.",
    "unused parameters":
        "`bad/transform_auto_publish_alias.yaml` is a SAM template, where cfn-lint never reports unused parameters; "
        "`bad/core_conditions_list.yaml`'s parameter is used nowhere, not even in its conditions.",
    "unused conditions":
        "`good/parameters_used_transform_language_extension.json` uses Fn::ForEach; menort does not report unused "
        "names in templates whose loops it does not expand.",
    "IAM policy documents":
        "cfn-lint matches every ARN in a policy against one pattern whose account field is 12 digits, `*` or `aws`: "
        "on `bad/functions_sub_needed.yaml` the ARN is a plain string holding `${AWS::AccountId}` (never substituted "
        "outside Fn::Sub; menort reports it as template-sub-needed), and on `good/functions_sub_needed_custom_excludes.yaml` "
        "a trust principal holds Serverless Framework variables (`${self:custom…}`). menort checks that an identity "
        "policy's resource is an ARN or `*`, as IAM states, but not the fields inside: what IAM accepts there is not "
        "documented well enough for an error. cfn-lint's W2511 (Version 2008-10-17) is advice, not a refusal: IAM "
        "accepts that version. Both tools flag two `good/` fixtures, and rightly: IAM refuses "
        "`Resource: [SomeOptionalParameter]` in `good/resources_iam_policy.yaml` (a parameter's name, not its Ref, and no "
        "ARN) and the empty `AssumeRolePolicyDocument: {}` placeholders of `good/resources_properties_list_duplicates.yaml`.",
    "SAM transform: policy templates, Globals, IgnoreGlobals, Serverless properties":
        "Every file here is one the SAM translator refuses. `transform_no_properties.yaml` (an Api without StageName) and "
        "`transform_serverless_template.yaml` (a Schedule event without Schedule, a LayerVersion without ContentUri, an "
        "Application without Location): cfn-lint reports them as E3003, a required property, after its own run of the "
        "transform; E3003 belongs to the resource-schema concept. `resources_lambda_sam_required_properties.yaml`: zip "
        "functions without Runtime or Handler, which cfn-lint 1.58 does not report (the fixture is a newer cfn-lint's).",
    "outputs: keys, Value, Export Name":
        "cfn-lint's E6101 on `bad/generic.yaml` is `Value: !GetAtt ElasticLoadBalancer.DNE`, an attribute the type does not "
        "have: menort reports it as template-getatt-attribute, not as an output defect.",
    "parameter definitions":
        "`bad/functions_getaz.yaml`: `Default: vpc-123456` is not an `AWS::EC2::VPC::Id` (8 or 17 hex digits).",
    "unknown resource property":
        "`bad/transform_serverless_template.yaml`: cfn-lint's E3002 there is `KeyType: String` in a table's KeySchema "
        "('HASH' was expected), which menort reports as a value outside HASH, RANGE (schema-enum, from DynamoDB's API model).",
    "required resource property":
        "The E3003s of the `transform_*` files are on SAM resources, which the schema family does not read; the E3018 "
        "is the table's KeySchema oneOf failing once `KeyType: String` fails (see unknown resource property). "
        "`good/core_conditions.yaml` and "
        "`good/functions_relationship_conditions.yaml` give a required property through `Fn::If` with an `AWS::NoValue` "
        "branch: cfn-lint reports the branch where it is missing, menort counts the property as present, since "
        "whether that branch is ever taken is not known (no promise, no error).",
    "property value type":
        "`bad/core_config_configure_e3012.yaml` turns on cfn-lint's strict types (`WriteCapacityUnits: \"5\"`), which "
        "CloudFormation converts and accepts. In `bad/transform_serverless_template.yaml` it is the same KeySchema oneOf "
        "(see unknown resource property); `good/transform_applications_location.yaml` is a SAM application. menort's finding on "
        "`bad/core_parse_invalid_map.yaml` is real (`VPCZoneIdentifier`, a list, given `Fn::Join`, which returns a "
        "string); cfn-lint stops at that file's parse error.",
    "property string pattern":
        "menort matches a pattern only where the regular-expression dialect cannot change the answer: `^…$` anchoring "
        "all of it (alternatives inside groups), no lookbehind, and a pattern Swift compiles as Java would. Of the "
        "three left, `arn:aws(-[\\w]+)*:iam::…` is not anchored, `^[…](?<!\\.git)$` has a lookbehind, and "
        "`^([…@[\\]…])*$` nests a `[` inside a class, which Java reads as a class union.",
    "property allowed values":
        "`bad/conditions.yaml` gives `RestrictionType` a one-item list in one `Fn::If` branch; menort reports the "
        "list as a type error (schema-type), cfn-lint also compares it with the enum. "
        "`bad/transform_serverless_template.yaml`: see unknown resource property.",
}

# The schema errors menort reports on the corpus, each with why the deploy would fail (the
# table SchemaCorpusTests holds menort to).
SCHEMA_EXCEPTIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "corpus-schema-errors.txt")


def matches(rule, patterns):
    return any(rule == p or (p.endswith("*") and rule.startswith(p[:-1])) for p in patterns)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--menort", required=True)
    parser.add_argument("--corpus", default=os.environ.get("MENORT_CORPUS", "../shared/corpus"))
    parser.add_argument("--markdown")
    args = parser.parse_args()

    root = os.path.join(args.corpus, "cfn-lint")
    if not os.path.isfile(os.path.join(root, "expected.jsonl")):
        # A fresh clone has no corpus beside it: say so in one line and succeed, writing nothing.
        print("compare-cfn-lint: skipped, %s not found (set MENORT_CORPUS or --corpus to the shared corpus)"
              % os.path.join(root, "expected.jsonl"), file=sys.stderr)
        return
    expected = {}
    with open(os.path.join(root, "expected.jsonl")) as f:
        for line in f:
            entry = json.loads(line)
            expected[entry["file"]] = set(entry["rules"])

    files = sorted(expected)
    result = subprocess.run([args.menort, "validate", "--format", "json"] + [os.path.join(root, name) for name in files],
                            capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit("menort validate exited %d: %s" % (result.returncode, result.stderr))
    found = collections.defaultdict(set)
    for diagnostic in json.loads(result.stdout)["diagnostics"]:
        found[os.path.relpath(diagnostic["file"], root)].add(diagnostic["rule"])

    lines = ["# menort validate and cfn-lint 1.58 on cfn-lint's fixtures", "",
             "Generated by `scripts/compare-cfn-lint.py` over `corpus/cfn-lint` (%d files: %d good, %d bad); "
             "cfn-lint's side is the corpus' `expected.jsonl`. A tool *flags* a file for a concept when any of its "
             "rules of that concept fire on it." % (len(files), sum(f.startswith("good/") for f in files), sum(f.startswith("bad/") for f in files)),
             "", "| concept | cfn-lint rules | both flag | only cfn-lint | only menort |", "| --- | --- | --- | --- | --- |"]
    details = []
    totals = collections.Counter()
    for concept, (cfn_rules, menort_rules) in CONCEPTS.items():
        both, cfn_only, menort_only = [], [], []
        for name in files:
            cfn = any(r in cfn_rules for r in expected[name])
            ours = any(matches(r, menort_rules) for r in found.get(name, ()))
            if cfn and ours:
                both.append(name)
            elif cfn:
                cfn_only.append(name)
            elif ours:
                menort_only.append(name)
        totals.update(both=len(both), cfn=len(cfn_only), menort=len(menort_only))
        lines.append("| %s | %s | %d | %d | %d |" % (concept, ", ".join(cfn_rules), len(both), len(cfn_only), len(menort_only)))
        if cfn_only or menort_only:
            details.append("")
            details.append("### %s" % concept)
            if concept in NOTES:
                details.append("")
                details.append(NOTES[concept])
                details.append("")
            for name in cfn_only:
                details.append("- only cfn-lint: `%s` (%s)" % (name, ", ".join(sorted(r for r in expected[name] if r in cfn_rules))))
            for name in menort_only:
                details.append("- only menort: `%s` (%s)" % (name, ", ".join(sorted(r for r in found[name] if matches(r, menort_rules)))))
    lines.append("| **all concepts** | | %d | %d | %d |" % (totals["both"], totals["cfn"], totals["menort"]))
    lines += ["", "Beyond these concepts menort checks what cfn-lint does not (the WebSocket wiring, the realtime "
              "contract, supplied parameter values in SAM templates, services' naming rules, the API Gateway V2 values "
              "the resource schemas leave open), and cfn-lint checks what menort does not (the `pattern`s that are not "
              "anchored as a whole or use lookbehind, formats, `uniqueItems` of objects and computed items, its own cross-property rules).", "", "## Where they differ"] + details
    lines += ["", "## Schema errors on templates that are meant to deploy", "",
              "The schema family reports no error on the rendered stacks and on `realworld/`. On `sam/output/` (834 "
              "translator outputs), the `sam/input/` files not named `error_*` and cfn-lint's `good/` fixtures, every "
              "error it reports is a real defect of that file, listed here (from `Tests/Fixtures/corpus-schema-errors.txt`, "
              "which `SchemaCorpusTests` holds menort to):", ""]
    with open(SCHEMA_EXCEPTIONS) as f:
        for row in f:
            if row.startswith("#") or not row.strip():
                continue
            name, position, rule, logical_id, why = row.rstrip("\n").split(" | ")
            lines.append("- `%s` %s %s (%s): %s" % (name, position, rule, logical_id, why))
    text = "\n".join(lines) + "\n"
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    main()
