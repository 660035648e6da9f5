#!/usr/bin/env python3
"""menort against its peers on one-edit defects of the rendered stack.

    scripts/defects/run.py --menort PATH [--markdown FILE] [--check]

Each defect of scripts/defects/defects.yaml is applied to templates/realtime/template.yaml
(every `old` text must occur exactly once) and written beside the handler folders, then
asked of:
  * menort validate          caught when it reports an error;
  * cfn-lint                 caught when it reports an E-rule (errors, not warnings);
  * cloudformation-validate  caught when it reports a FATAL or ERROR diagnostic;
  * the SAM translator       caught when the transform refuses the template, given what
                             `sam validate` gives it (a missing CodeUri is the template's folder).
Warnings do not count for anyone: a warning is not a promise that the deploy fails.

The peers' answers are cached in .build/defects-peers.json by template text and peer
version, so re-running after a menort change costs only menort's runs.
--check exits 1 when a defect that some peer catches is missed by menort: the issue's
target is to catch the union of the peers.
"""
import argparse
import concurrent.futures
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HANDLERS = ["connect", "disconnect", "default", "chat-send", "presence-update"]
PEERS = ["cfn-lint", "cloudformation-validate", "sam-translator"]


def load_peers_module():
    spec = importlib.util.spec_from_file_location("peers", os.path.join(ROOT, "scripts", "peers.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def apply(base, defect):
    text = base
    for old, new in [(defect["old"], defect["new"])] + [tuple(pair) for pair in defect.get("also", [])]:
        count = text.count(old)
        if count != 1:
            raise SystemExit("defect %r: its text occurs %d times in the rendered stack (must be once)" % (defect["name"], count))
        text = text.replace(old, new)
    return text


def as_sam_validate_reads(template):
    """The template as `sam validate` hands it to the translator: a zip function without
    CodeUri gets one, as SAM CLI (and `aws cloudformation package`) package the template's
    folder for it (samcli SamTemplateValidator._replace_local_codeuri)."""
    for resource in (template.get("Resources") or {}).values():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = resource.setdefault("Properties", {})
        if isinstance(properties, dict) and properties.get("PackageType", "Zip") == "Zip" \
                and "CodeUri" not in properties and "InlineCode" not in properties:
            properties["CodeUri"] = "."
    return template


def menort_errors(menort, folder):
    result = subprocess.run([menort, "validate", "--format", "json", "template.yaml"], cwd=folder, capture_output=True, text=True)
    if result.returncode > 1:
        raise SystemExit("menort validate exited %d in %s:\n%s" % (result.returncode, folder, result.stderr))
    report = json.loads(result.stdout)
    return sorted({d["rule"] for d in report["diagnostics"] if d["severity"] == "error"})


def cfn_lint_errors(path):
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())", "--format", "parseable", "--", path],
        capture_output=True, text=True)
    rules = set()
    for line in result.stdout.splitlines():
        parts = line.split(":")
        # parseable: file:line:column:endline:endcolumn:rule:message
        if len(parts) > 5 and parts[5].startswith("E"):
            rules.add(parts[5])
    return sorted(rules)


def versions():
    import cfnlint.version
    import samtranslator
    from importlib.metadata import version
    # The harness's own version too: a change in how a peer is asked invalidates the cache.
    return "harness 2, cfn-lint %s, cloudformation-validate %s, aws-sam-translator %s" % (
        cfnlint.version.__version__, version("cloudformation-validate"), samtranslator.__version__)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--menort", required=True)
    parser.add_argument("--markdown")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    args.menort = os.path.abspath(args.menort)

    base = open(os.path.join(ROOT, "templates", "realtime", "template.yaml")).read()
    defects = yaml.safe_load(open(os.path.join(HERE, "defects.yaml")))
    peers = load_peers_module()
    from cloudformation_validate import RegoEngine
    engine = RegoEngine()

    stamp = versions()
    cache_path = os.path.join(ROOT, ".build", "defects-peers.json")
    try:
        cache = json.load(open(cache_path))
    except (OSError, ValueError):
        cache = {}
    if cache.get("versions") != stamp:  # new peers, or a new way of asking them
        cache = {"versions": stamp, "results": {}}

    work = tempfile.mkdtemp(prefix="menort-defects-")
    rows = []
    lint_jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for index, defect in enumerate(defects):
            text = apply(base, defect)
            folder = os.path.join(work, "%03d" % index)
            for handler in HANDLERS:
                os.makedirs(os.path.join(folder, "lambda", "realtime", handler))
            path = os.path.join(folder, "template.yaml")
            with open(path, "w") as out:
                out.write(text)
            key = hashlib.sha256(text.encode()).hexdigest()
            row = {"defect": defect, "key": key, "folder": folder, "path": path, "text": text}
            row["menort"] = menort_errors(args.menort, folder)
            cached = cache["results"].get(key)
            if cached:
                row.update(cached)
            else:
                lint_jobs[index] = pool.submit(cfn_lint_errors, path)
                try:
                    diagnostics = engine.validate_template(path).diagnostics
                    row["cloudformation-validate"] = sorted({d.rule_id for d in diagnostics if d.severity.name in ("FATAL", "ERROR")})
                except Exception as error:  # it could not read the template: that is a catch
                    row["cloudformation-validate"] = ["(refused: %s)" % type(error).__name__]
                try:
                    peers.sam_translate_template(as_sam_validate_reads(peers.load_template(text)))
                    row["sam-translator"] = []
                except Exception as error:
                    row["sam-translator"] = [type(error).__name__]
            rows.append(row)
        for index, job in lint_jobs.items():
            rows[index]["cfn-lint"] = job.result()
    for row in rows:
        cache["results"][row["key"]] = {peer: row[peer] for peer in PEERS}
    os.makedirs(os.path.dirname(cache_path), exist_ok=True)
    json.dump(cache, open(cache_path, "w"))

    halves = ["resource", "sam", "template"]
    tools = ["menort"] + PEERS
    total = len(rows)
    caught = {tool: sum(1 for row in rows if row[tool]) for tool in tools}
    union = [row for row in rows if any(row[peer] for peer in PEERS)]
    missed = [row for row in union if not row["menort"]]
    lines = ["# One-edit defects of the rendered stack: menort and its peers", "",
             "Generated by `scripts/defects/run.py` (%s). A tool catches a defect when it reports an **error** "
             "(cfn-lint: an E rule; cloudformation-validate: FATAL or ERROR; the SAM translator: a refused "
             "transform); warnings do not count." % stamp, "",
             "| tool | caught | of %d |" % total, "| --- | --- | --- |"]
    for tool in tools:
        lines.append("| %s | %d | %.0f%% |" % (tool, caught[tool], 100.0 * caught[tool] / total))
    lines.append("| any peer | %d | %.0f%% |" % (len(union), 100.0 * len(union) / total))
    lines.append("| none | %d | %.0f%% |" % (sum(1 for row in rows if not any(row[t] for t in tools)),
                                            100.0 * sum(1 for row in rows if not any(row[t] for t in tools)) / total))
    lines += ["", "Caught by a peer but not by menort: %d." % len(missed), ""]
    notes = [row for row in rows if row["defect"].get("note")]
    if notes:
        lines += ["Notes:", ""] + ["- **%s**: %s" % (row["defect"]["name"], row["defect"]["note"]) for row in notes] + [""]
    for half in halves:
        lines += ["## %s" % half, "", "| defect | menort | cfn-lint | cloudformation-validate | SAM translator |",
                  "| --- | --- | --- | --- | --- |"]
        for row in rows:
            if row["defect"]["half"] != half:
                continue
            cells = [", ".join(row[tool]) or "—" for tool in tools]
            lines.append("| %s | %s |" % (row["defect"]["name"], " | ".join(cells)))
        lines.append("")
    markdown = "\n".join(lines)
    if args.markdown:
        open(args.markdown, "w").write(markdown)
    for tool in tools:
        print("defects: %-24s %3d of %d" % (tool, caught[tool], total))
    print("defects: caught by a peer, missed by menort: %d" % len(missed))
    for row in missed:
        print("  missed: %s (%s)" % (row["defect"]["name"], "; ".join("%s: %s" % (p, ", ".join(row[p])) for p in PEERS if row[p])))
    if args.check and missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
