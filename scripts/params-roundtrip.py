#!/usr/bin/env python3
"""Reads `menort params` output back the way each deploy tool reads it.

    scripts/params-roundtrip.py --available
        exit 0 when SAM CLI (PyPI aws-sam-cli) can be imported, else 1 saying why.

    scripts/params-roundtrip.py --menort PATH --values VALUES.json
        VALUES.json is {"ParameterName": "value", ...}. Declares those String parameters in
        a template, runs `menort params --template T --param Name=value ...` in each format,
        reads each output back and prints one JSON object, one member per format:
        {"read": {name: value}} or {"refused": [stderr lines], "stdout": "..."}.

    scripts/params-roundtrip.py --menort PATH --check
        A table of awkward values, then every value of up to 5 characters over an alphabet
        of awkward ones (backslash, both quotes, space, line feed, =, a): each must come back
        byte for byte from every format, except that the values SAM CLI's parser cannot
        carry (below) must be refused by sam and samconfig, naming each parameter, and still
        come back from json and env. Exit 1 on any difference.

How each format is read back:
    sam        the real `sam deploy` command (click, option types and all) invoked in-process
               with `--parameter-overrides LINE`, LINE being stdout less its trailing line
               breaks, as "$(menort params)" passes it; its do_cli is replaced by a function
               that records the parameter_overrides it would deploy with. The reading must
               equal `CfnParameterOverridesType().convert((LINE,), None, None)`.
    samconfig  the same command, run in a folder whose samconfig.toml is `version = 0.1` and
               the fragment: SAM CLI's own config reader and option conversion. The reading
               must equal `SamConfig(folder).get_all(["deploy"], "parameters")` passed
               through `CfnParameterOverridesType().convert`.
    json       json.loads; the list must be [{"ParameterKey", "ParameterValue"}] objects.
    env        menort itself: `menort params --env-file OUT --format json`, so the values go
               through menort's EnvFile.parse and come back as JSON.

The values SAM CLI cannot carry (samcli/cli/types.py, `_generate_match_regex` and
`_unquote_wrapped_quotes`): inside quotes a backslash always pairs with the next
character, which may not be a line feed, and the unquoting removes one backslash before a
space or either quote. So a value whose backslash run at the end, or before a line feed, is
odd cannot be written; nor one that has a quote of each kind after an odd backslash run.
"""
import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile

FORMATS = ["sam", "samconfig", "json", "env"]


def sam_available():
    try:
        import samcli  # noqa: F401
        import samcli.commands.deploy.command  # noqa: F401
        from click.testing import CliRunner  # noqa: F401
    except Exception as error:  # an absent or broken install
        return "SAM CLI cannot be imported (%s: %s); pip install aws-sam-cli" % (type(error).__name__, error)
    return None


class SamDeploy:
    """`sam deploy` in-process, stopping where it would start deploying."""

    def __init__(self, app_dir):
        # No telemetry, no version check, and SAM CLI's own files in a temporary folder.
        os.environ["SAM_CLI_TELEMETRY"] = "0"
        os.environ["__SAM_CLI_APP_DIR"] = app_dir
        import inspect
        from unittest import mock

        import samcli.commands.deploy.command as deploy
        import samcli.lib.utils.version_checker as version_checker
        from click.testing import CliRunner

        self.deploy = deploy
        self.mock = mock
        self.runner = CliRunner()
        self.names = list(inspect.signature(deploy.do_cli).parameters)
        self.version_checker = version_checker

    def overrides(self, folder, template, arguments):
        captured = {}

        def record(*args, **kwargs):
            bound = dict(zip(self.names, args))
            bound.update(kwargs)
            captured["overrides"] = bound["parameter_overrides"]

        previous = os.getcwd()
        os.chdir(folder)
        try:
            with self.mock.patch.object(self.deploy, "do_cli", record), \
                    self.mock.patch.object(self.version_checker, "_inform_newer_version", lambda *a, **k: None):
                result = self.runner.invoke(
                    self.deploy.cli,
                    ["--template-file", template, "--stack-name", "menort-roundtrip", "--region", "us-east-1"] + arguments,
                    catch_exceptions=True)
        finally:
            os.chdir(previous)
        if "overrides" not in captured:
            raise SystemExit("sam deploy did not reach do_cli (exit %s):\n%s%s" % (
                result.exit_code, result.output, "".join(_traceback(result))))
        return dict(captured["overrides"])

    @staticmethod
    def parse_line(line):
        """The option type alone, as the command line hands it one argument."""
        from samcli.cli.types import CfnParameterOverridesType
        return CfnParameterOverridesType().convert((line,), None, None)

    @staticmethod
    def parse_samconfig(folder):
        """SAM CLI's config reader, then the option type."""
        from samcli.cli.types import CfnParameterOverridesType
        from samcli.lib.config.samconfig import SamConfig
        configured = SamConfig(folder).get_all(["deploy"], "parameters", env="default")
        return CfnParameterOverridesType().convert(configured["parameter_overrides"], None, None)


def _traceback(result):
    import traceback
    if result.exc_info is None:
        return []
    return traceback.format_exception(*result.exc_info)


def run_menort(menort, arguments):
    result = subprocess.run([menort] + arguments, capture_output=True)
    if result.returncode == 2 or result.returncode < 0:
        raise SystemExit("menort %s exited %d:\n%s" % (" ".join(arguments[:3]), result.returncode, result.stderr.decode()))
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def dotenv_value(value):
    """`value` double-quoted with the escapes menort's EnvFile documents."""
    escaped = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("\n", "\\n").replace("\t", "\\t")
    return '"' + escaped + '"'


def read_back(menort, values, sam, via_env_file=False):
    """Each format's output for `values` ({name: value}), read back.

    The values reach menort as `--param Name=value`, or with `via_env_file` in one env file
    (swift-argument-parser takes quadratic time over thousands of repeated options).
    """
    with tempfile.TemporaryDirectory(prefix="menort-roundtrip-") as folder:
        return _read_back(menort, values, sam, via_env_file, folder)


def _read_back(menort, values, sam, via_env_file, folder):
    template = os.path.join(folder, "template.yaml")
    with open(template, "w", encoding="utf-8") as handle:
        # JSON is YAML: every name declared as a String parameter, in order.
        json.dump({"Parameters": {name: {"Type": "String"} for name in values},
                   "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}, handle)
    flags = []
    if via_env_file:
        supplied = os.path.join(folder, "in.env")
        with open(supplied, "w", encoding="utf-8", newline="") as handle:
            handle.writelines("%s=%s\n" % (name, dotenv_value(value)) for name, value in values.items())
        flags = ["--env-file", supplied]
    else:
        for name, value in values.items():
            flags += ["--param", "%s=%s" % (name, value)]
    report = {}
    for format in FORMATS:
        status, stdout, stderr = run_menort(menort, ["params", "--template", template, "--format", format] + flags)
        if status != 0:
            report[format] = {"refused": stderr.splitlines(), "stdout": stdout}
            continue
        if format == "sam":
            # SAM CLI looks for samconfig.toml beside the template: a folder with none.
            bare = os.path.join(folder, "sam")
            os.makedirs(bare, exist_ok=True)
            shutil.copy(template, bare)
            line = stdout.rstrip("\n")
            report[format] = {"read": agreed(sam.overrides(bare, "template.yaml", ["--parameter-overrides", line]),
                                             sam.parse_line(line), format)}
        elif format == "samconfig":
            configured = os.path.join(folder, "samconfig")
            os.makedirs(configured, exist_ok=True)
            with open(os.path.join(configured, "samconfig.toml"), "w", encoding="utf-8") as handle:
                handle.write("version = 0.1\n\n" + stdout)
            shutil.copy(template, configured)
            report[format] = {"read": agreed(sam.overrides(configured, "template.yaml", []),
                                             sam.parse_samconfig(configured), format)}
        elif format == "json":
            parameters = json.loads(stdout)
            if not all(isinstance(item, dict) and sorted(item) == ["ParameterKey", "ParameterValue"] for item in parameters):
                raise SystemExit("json output is not a list of ParameterKey/ParameterValue objects:\n" + stdout)
            report[format] = {"read": {item["ParameterKey"]: item["ParameterValue"] for item in parameters}}
        else:
            env_file = os.path.join(folder, "out.env")
            with open(env_file, "w", encoding="utf-8", newline="") as handle:
                handle.write(stdout)
            again, text, errors = run_menort(menort, ["params", "--template", template, "--env-file", env_file, "--format", "json"])
            if again != 0:
                raise SystemExit("menort could not read its own env output back:\n" + errors + "\n" + stdout)
            report[format] = {"read": {item["ParameterKey"]: item["ParameterValue"] for item in json.loads(text)}}
    return report


def agreed(command, direct, format):
    """The `sam deploy` reading, which must equal the option type's own."""
    if command != direct:
        raise SystemExit("%s: sam deploy read %r but CfnParameterOverridesType read %r" % (format, command, direct))
    return command


def sam_cannot_carry(value):
    """The rule in the module docstring, restated independently of menort's code."""
    run = 0
    escaped = set()
    for character in value:
        if character == "\\":
            run += 1
            continue
        if run % 2 == 1:
            if character == "\n":
                return True
            if character in "\"'":
                escaped.add(character)
        run = 0
    return run % 2 == 1 or escaped == {"\"", "'"}


# (value, whether the sam and samconfig formats carry it)
TABLE = [
    ("meno-chat", True),
    ("two words", True),
    ("  leading and trailing  ", True),
    ("say \"hi\" and 'bye'", True),
    ("'single'", True),
    ("\"double\"", True),
    ("a=b=c", True),
    ("a,b,c", True),
    ("$HOME and ${HOME}", True),
    ("`uname`", True),
    ("C:\\path\\to", True),
    ("a\\ b", True),
    ("a\\\"b", True),
    ("a\\'b", True),
    ("ends with two backslashes \\\\", True),
    ("", True),
    (" ", True),
    ("#not-a-comment # nor this", True),
    ("line one\nline two", True),
    ("tab\there", True),
    ("carriage\rreturn", True),
    ("Ünïcødé — 東京 🚀", True),
    ("e\u0301 combining", True),
    ("ParameterKey=A,ParameterValue=B", False),
    ("trailing\\", False),
    ("\\", False),
    ("odd before line feed\\\nx", False),
    ("both \\\" and \\'", False),
]


def check(menort, sam, length):
    alphabet = ["a", "\\", "\"", "'", " ", "\n", "="]
    generated = ["".join(letters) for size in range(length + 1) for letters in itertools.product(alphabet, repeat=size)]
    carried = [value for value, ok in TABLE if ok] + [value for value in generated if not sam_cannot_carry(value)]
    refused = [value for value, ok in TABLE if not ok] + [value for value in generated if sam_cannot_carry(value)]
    failures = []

    def batches(items, size=1500):
        for start in range(0, len(items), size):
            yield {"P%d" % (start + offset): value for offset, value in enumerate(items[start:start + size])}

    for values in batches(carried):
        report = read_back(menort, values, sam, via_env_file=True)
        for format in FORMATS:
            read = report[format].get("read")
            if read is None:
                failures.append("%s refused values it should carry: %s" % (format, report[format]["refused"][:3]))
                continue
            for name, value in values.items():
                if read.get(name) != value:
                    failures.append("%s: %r came back as %r" % (format, value, read.get(name)))
            if set(read) != set(values):
                failures.append("%s: read back extra or missing keys %s" % (format, sorted(set(read) ^ set(values))[:5]))
    for values in batches(refused):
        report = read_back(menort, values, sam, via_env_file=True)
        for format in ["sam", "samconfig"]:
            outcome = report[format]
            if "read" in outcome:
                failures.append("%s carried values SAM CLI cannot read back: %r" % (format, list(values.values())[:3]))
                continue
            if outcome["stdout"]:
                failures.append("%s refused but printed %r" % (format, outcome["stdout"][:80]))
            named = {line.split(":")[1].strip() for line in outcome["refused"] if line.startswith("menort: ")}
            for name, value in values.items():
                if name not in named:
                    failures.append("%s: %r (%s) was not refused by name" % (format, value, name))
        for format in ["json", "env"]:
            read = report[format].get("read") or {}
            for name, value in values.items():
                if read.get(name) != value:
                    failures.append("%s: %r came back as %r" % (format, value, read.get(name)))
    import samcli
    if failures:
        for failure in failures[:20]:
            print("params-roundtrip: " + failure, file=sys.stderr)
        raise SystemExit("params-roundtrip: %d differences (SAM CLI %s)" % (len(failures), samcli.__version__))
    print("params-roundtrip: %d values carried exactly by sam, samconfig, json and env; %d refused by sam and "
          "samconfig and carried by json and env (SAM CLI %s)" % (len(carried), len(refused), samcli.__version__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--available", action="store_true")
    parser.add_argument("--menort")
    parser.add_argument("--values")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--length", type=int, default=5, help="longest generated value in --check (default 5)")
    options = parser.parse_args()

    problem = sam_available()
    if options.available:
        if problem:
            print(problem, file=sys.stderr)
        sys.exit(1 if problem else 0)
    if problem:
        raise SystemExit(problem)
    if not options.menort or not (options.values or options.check):
        parser.error("--menort PATH with --values FILE or --check")
    with tempfile.TemporaryDirectory(prefix="menort-sam-app-") as app_dir:
        sam = SamDeploy(app_dir)
        if options.check:
            check(options.menort, sam, options.length)
            return
        with open(options.values, encoding="utf-8") as handle:
            values = json.load(handle)
        json.dump(read_back(options.menort, values, sam), sys.stdout, ensure_ascii=False, indent=1)
        print()


if __name__ == "__main__":
    main()
