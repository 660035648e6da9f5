#!/usr/bin/env python3
"""Writes Sources/CloudFormation/ResourceSchema+Data.swift: the property schema of every AWS::* type.

The data comes from AWS's resource provider schemas as cfn-lint (PyPI) ships them (with
cfn-lint's patches), the same pinned source as scripts/gen-resource-catalog.py: for each type
the schema of us-east-1, or of the first region that has the type. SAM's AWS::Serverless::*
types are not here (their schema is SAM's, not CloudFormation's).

Each schema is flattened into numbered nodes, `$ref`s to `definitions` becoming node numbers,
so the Swift side reads one node when a template reaches it and never a whole schema. Only
what menort checks exactly is kept (no descriptions, no `pattern`, no `format`):

    one line per node: space-separated fields, each `key=value`; a missing key means "no constraint"
    t=sibonaz   JSON types allowed: string integer boolean object number array null
    p=Name:3,…  properties and the node of each (-1: known, not checked)
    x           closed: additionalProperties false, no patternProperties (unknown keys fail)
    v=3         the node every other key's value follows (additionalProperties: {schema})
    r=A,B       required properties
    o=A+B;C     oneOf/anyOf of plain `required` lists: at least one alternative is complete
    d=A:B+C;…   dependentRequired: when A is present, B and C must be
    i=3         the node of every item of an array
    k=o:3,a:5   oneOf/anyOf whose branches each take other kinds of value (o object, a array,
                s scalar): the node of the one branch a value of that kind must satisfy
    e=A|B       enum (E= when case is ignored)
    s=A|B       enum from the service's API model, which the service (not CloudFormation) enforces
    m= M=       minimum, maximum
    l= L=       minLength, maxLength
    P=^…$       pattern, only when `^…$` anchors all of it (alternatives inside groups only; the subset the
                Swift side matches exactly; it checks the rest of the grammar itself)
    Q=hex:m:n:… a pattern (the last part) that is one character class repeated (`^[a-z0-9-]+$`,
                `^\d{12}$`): the printable ASCII characters it allows as a 96-bit number in hex
                (bit i: character 0x20 + i), and the repetition bounds (n empty: no bound), so
                the commonest patterns need no regular-expression compiler at run time
    c= C=       minItems, maxItems
    u           uniqueItems: no two items of the list may be equal

Service enums: API Gateway V2's resource schemas leave IntegrationType, AuthorizationType,
ContentHandlingStrategy, PassthroughBehavior, ConnectionType, LoggingLevel… plain strings, and
DynamoDB's leaves the KeyType of the table's KeySchema one. Their values come from botocore's
API models (installed with boto3/awscli): each `AWS::ApiGatewayV2::X` (and
`AWS::DynamoDB::Table`) is matched with the input of the `CreateX` operation, member by member
and down nested structures, lists and oneOf/anyOf branches, and a string property the schema
leaves open gets the enum of the member of the same name.

Names and values are percent-encoded where they hold a byte the format uses.

The index (`ResourceSchema.index`) has one line per type, sorted by name in byte order:
`Type start end` with the byte range of its nodes in `ResourceSchema.data`, then what a change
of a property does to the resource (`ResourceSchema.replacement(for:)`), each field only when
the schema lists something:

    a=P,P       createOnlyProperties: changing one always replaces the resource
    c=P,P       conditionalCreateOnlyProperties: changing one replaces it when the change cannot
                be made in place (the handler decides)

Each P is a JSON pointer of the schema (`/properties/VpcConfig/SubnetIds`) without its
`/properties/`, segments joined by `.` (`VpcConfig.SubnetIds`); `*` stays the schema's "any item
of a list" (`Tags.*.Key`). Segments are percent-encoded like names (`.` and `*` too when part of
a name; `~1` and `~0` unescaped first); schema order, duplicates dropped, and a path the schema
lists in both is in `a=` only. A pointer outside `/properties/` stops the generator. A line
without `a=` or `c=` is a type whose every property updates in place.

Re-run after upgrading cfn-lint:
    python3 scripts/gen-resource-schemas.py > Sources/CloudFormation/ResourceSchema+Data.swift
"""
import copy
import gzip
import json
import os
import re
import sys

import botocore

import cfnlint.version
from cfnlint.helpers import REGIONS
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as manager

TYPE_LETTERS = {"string": "s", "integer": "i", "boolean": "b", "object": "o", "number": "n", "array": "a", "null": "z"}
# Patterns every one-line printable string (but perhaps the empty one) matches: compiling one
# would cost a run more than it could ever find.
ANY_TEXT = {"^.*$", "^.+$", "^[\\s\\S]*$", "^[\\s\\S]+$", "^[\\S\\s]*$", "^[\\S\\s]+$"}
RESERVED = set(' %,|:;+="\\#\n\r\t')


# `^` one character class, `\d`-style escape or `.`, one quantifier, `$`.
REPEATED_CLASS = re.compile(r"^\^(\[(?:\\.|[^\]\\])+\]|\\[dwsSDW]|\.)(\+|\*|\{(\d+)(?:(,)(\d*))?\})\$$")


def whole_anchored(pattern):
    """Whether `^…$` anchors the whole of `pattern`, so searching for it (JSON Schema's and
    CloudFormation's reading) and matching the whole value (menort's) agree: `^` first, an
    unescaped `$` last, every `|` inside a group, groups balanced, and no lookbehind (which
    one of the dialects lacks)."""
    if len(pattern) < 3 or pattern[0] != "^" or pattern[-1] != "$" or "(?<" in pattern:
        return False
    # Control characters written raw (a class such as [^\x00-\x7f] spelled with the bytes) would
    # need escaping in the Swift source, and are rare enough to leave to the deploy.
    if any(not (0x20 <= ord(char) < 0x7F) for char in pattern):
        return False
    depth, index, in_class = 0, 1, False
    while index < len(pattern) - 1:
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return False
        elif char == "|" and depth == 0:
            return False
        index += 1
    # The loop stepped exactly onto the final `$` (an escaped `\$` is stepped over).
    return depth == 0 and not in_class and index == len(pattern) - 1


def repeated_class(pattern):
    """(mask, minimum, maximum) when `pattern` is one character class repeated.

    Python's `re` decides, character by character, which printable ASCII characters the class
    takes: for single characters of printable ASCII, JSON Schema's ECMAScript and Java agree
    with it (the Swift side checks only such values)."""
    match = REPEATED_CLASS.match(pattern)
    if not match:
        return None
    atom, quantifier, low, comma, high = match.groups()
    try:
        compiled = re.compile(atom)
    except re.error:
        return None
    mask = 0
    for offset in range(96):
        if offset < 95 and compiled.fullmatch(chr(0x20 + offset)):
            mask |= 1 << offset
    if quantifier == "+":
        bounds = (1, "")
    elif quantifier == "*":
        bounds = (0, "")
    else:
        bounds = (int(low), high if comma else low)
    return ("%024x" % mask, bounds[0], bounds[1])


def escape(text):
    out = []
    for char in str(text):
        if char in RESERVED or ord(char) < 0x20:
            out.append("".join("%%%02X" % b for b in char.encode()))
        else:
            out.append(char)
    return "".join(out)


def number(value):
    # Integral values without a fractional part, so the Swift side reads them as they were written.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value)


def enum_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number(value)
    return value


class Flattener:
    """Numbers the nodes of one type's schema; node 0 is the resource's Properties."""

    def __init__(self, schema):
        self.schema = schema
        self.lines = []
        self.definitions = {}
        self.leaves = {}

    def resolve(self, ref):
        if not ref.startswith("#/"):
            return None
        target = self.schema
        for part in ref[2:].split("/"):
            if not isinstance(target, dict) or part not in target:
                return None
            target = target[part]
        return target

    def node(self, schema):
        if not isinstance(schema, dict):
            return -1
        if "$ref" in schema:
            ref = schema["$ref"]
            if ref in self.definitions:
                return self.definitions[ref]
            target = self.resolve(ref)
            if target is None:
                return -1
            index = len(self.lines)
            self.definitions[ref] = index
            self.lines.append(None)  # reserved, so a recursive definition can point at itself
            self.lines[index] = self.fields(target)
            return index
        index = len(self.lines)
        self.lines.append(None)
        line = self.fields(schema)
        if all(line.find(key) < 0 for key in ("p=", "v=", "i=", "k=")):
            # A leaf: identical leaves (a plain string, an ARN) share one node.
            if line in self.leaves:
                self.lines.pop()
                return self.leaves[line]
            self.leaves[line] = index
        self.lines[index] = line
        return index

    def resolved(self, schema):
        while isinstance(schema, dict) and "$ref" in schema:
            schema = self.resolve(schema["$ref"])
        return schema

    def kind_branches(self, schema):
        """The branches of a oneOf/anyOf when each takes its own kinds of value, by kind.

        A YAML scalar may become any scalar type, so all scalar types are one kind; when two
        branches share a kind, which one a value must satisfy is not decided here (None)."""
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if not isinstance(branches, list) or not branches:
                continue
            by_kind = {}
            for branch in branches:
                target = self.resolved(branch)
                types = target.get("type") if isinstance(target, dict) else None
                if types is None:
                    return None
                types = types if isinstance(types, list) else [types]
                if not all(t in TYPE_LETTERS and t != "null" for t in types):
                    return None
                for kind in {{"object": "o", "array": "a"}.get(t, "s") for t in types}:
                    if kind in by_kind:
                        return None
                    by_kind[kind] = (branch, types)
            return by_kind
        return None

    def fields(self, schema):
        fields = []
        types = schema.get("type")
        kinds = self.kind_branches(schema)
        if types is None and kinds:
            # The value must take one of the branches, so its type is one of theirs.
            types = sorted({t for _, branch_types in kinds.values() for t in branch_types})
        if types is not None:
            types = types if isinstance(types, list) else [types]
            if all(t in TYPE_LETTERS for t in types):
                fields.append("t=" + "".join(sorted(TYPE_LETTERS[t] for t in types)))
        branches = [b for key in ("oneOf", "anyOf", "allOf") for b in schema.get(key, []) if isinstance(b, dict)]
        branches += [schema[key] for key in ("then", "else") if isinstance(schema.get(key), dict)]
        branch_properties = set()
        for branch in branches:
            branch_properties.update(branch.get("properties", {}).keys())
        properties = schema.get("properties", {})
        if properties or branch_properties:
            entries = []
            for name in properties:
                entries.append("%s:%d" % (escape(name), self.node(properties[name])))
            # A key some branch names is known, and not checked: which branch applies is not
            # decided here.
            for name in sorted(branch_properties - set(properties)):
                entries.append("%s:-1" % escape(name))
            fields.append("p=" + ",".join(entries))
        additional = schema.get("additionalProperties")
        if additional is False and not schema.get("patternProperties"):
            fields.append("x")
        elif isinstance(additional, dict) and not schema.get("patternProperties"):
            fields.append("v=%d" % self.node(additional))
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        if required:
            fields.append("r=" + ",".join(escape(r) for r in required))
        for key in ("oneOf", "anyOf"):
            alternatives = schema.get(key)
            # Exact only when every branch is nothing but a list of required names.
            if alternatives and all(isinstance(b, dict) and set(b) == {"required"} for b in alternatives):
                fields.append("o=" + ";".join("+".join(escape(r) for r in b["required"]) for b in alternatives))
        dependent = schema.get("dependentRequired")
        if isinstance(dependent, dict) and dependent:
            fields.append("d=" + ";".join(
                "%s:%s" % (escape(k), "+".join(escape(v) for v in vs)) for k, vs in dependent.items()))
        if kinds:
            fields.append("k=" + ",".join("%s:%d" % (kind, self.node(kinds[kind][0])) for kind in sorted(kinds)))
        items = schema.get("items")
        if isinstance(items, dict):
            fields.append("i=%d" % self.node(items))
        values = schema.get("enum")
        if values is None and "const" in schema:
            values = [schema["const"]]
        if isinstance(values, list) and values and all(isinstance(v, (str, int, float, bool)) for v in values):
            key = "E=" if schema.get("enumCaseInsensitive") else "e="
            fields.append(key + "|".join(escape(enum_text(v)) for v in values))
        elif isinstance(schema.get("serviceEnum"), list):
            fields.append("s=" + "|".join(escape(v) for v in schema["serviceEnum"]))
        pattern = schema.get("pattern")
        repeated = repeated_class(pattern) if isinstance(pattern, str) and pattern not in ANY_TEXT else None
        if repeated:
            fields.append("Q=%s:%d:%s:%s" % (repeated + (escape(pattern),)))
        elif isinstance(pattern, str) and whole_anchored(pattern) and "\\p" not in pattern and pattern not in ANY_TEXT:
            fields.append("P=" + escape(pattern))
        for keyword, key in (("minimum", "m"), ("maximum", "M")):
            value = schema.get(keyword)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                fields.append("%s=%s" % (key, number(value)))
        if schema.get("uniqueItems") is True:
            fields.append("u")
        for keyword, key in (("minLength", "l"), ("maxLength", "L"), ("minItems", "c"), ("maxItems", "C")):
            value = schema.get(keyword)
            if isinstance(value, int) and not isinstance(value, bool):
                fields.append("%s=%d" % (key, value))
        return " ".join(fields)


# Services whose API model fills enums the resource schemas leave open: CloudFormation type
# prefix, botocore service name.
SERVICE_MODELS = [("AWS::ApiGatewayV2::", "apigatewayv2"), ("AWS::DynamoDB::Table", "dynamodb")]


def service_model(service):
    folder = os.path.join(os.path.dirname(botocore.__file__), "data", service)
    version = sorted(os.listdir(folder))[-1]
    for name in ("service-2.json.gz", "service-2.json"):
        path = os.path.join(folder, version, name)
        if os.path.exists(path):
            with (gzip.open(path, "rt") if name.endswith(".gz") else open(path)) as f:
                return json.load(f), "%s %s" % (service, version)
    raise SystemExit("no service-2.json for %s in botocore %s" % (service, botocore.__version__))


def add_service_enums(schema, model, shape_name, node, seen):
    """Gives the string properties of `node` that have no enum the enum of the model's member."""
    shapes = model["shapes"]
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/definitions/"):
        node = schema["definitions"].get(node["$ref"].rsplit("/", 1)[1])
    shape = shapes.get(shape_name)
    if not isinstance(node, dict) or shape is None or (id(node), shape_name) in seen:
        return
    seen.add((id(node), shape_name))
    # A oneOf/anyOf branch that takes this member's shape holds the same values.
    for key in ("oneOf", "anyOf"):
        for branch in node.get(key, []):
            add_service_enums(schema, model, shape_name, branch, seen)
    if "enum" in shape:
        types = node.get("type")
        if types == "string" and "enum" not in node and "const" not in node:
            node["serviceEnum"] = shape["enum"]
    elif shape.get("type") == "structure":
        for member, spec in shape.get("members", {}).items():
            if member in node.get("properties", {}):
                add_service_enums(schema, model, spec["shape"], node["properties"][member], seen)
    elif shape.get("type") == "list" and isinstance(node.get("items"), dict):
        add_service_enums(schema, model, shape["member"]["shape"], node["items"], seen)


def with_service_enums(name, schema, models):
    for prefix, (model, _) in models.items():
        if not name.startswith(prefix):
            continue
        # AWS::ApiGatewayV2::Route is CreateRoute; AWS::DynamoDB::Table is CreateTable.
        operation = model["operations"].get("Create" + name.rsplit("::", 1)[1])
        if operation is None or "input" not in operation:
            return schema
        schema = copy.deepcopy(schema)
        add_service_enums(schema, model, operation["input"]["shape"], schema, set())
    return schema


def path_segment(text):
    """One segment of a property path: percent-encoded like names, and `.` and `*` too."""
    return escape(text).replace(".", "%2E").replace("*", "%2A")


def property_paths(name, schema, key):
    """The schema's `key` list (createOnlyProperties…) as dotted paths, in schema order, once each."""
    paths = []
    for pointer in schema.get(key) or []:
        if not isinstance(pointer, str) or not pointer.startswith("/properties/"):
            raise SystemExit("%s: %s holds %r, which is not under /properties/" % (name, key, pointer))
        segments = pointer[len("/properties/"):].split("/")
        if any(segment == "" for segment in segments):
            raise SystemExit("%s: %s holds %r, which has an empty segment" % (name, key, pointer))
        path = ".".join("*" if segment == "*" else
                        path_segment(segment.replace("~1", "/").replace("~0", "~")) for segment in segments)
        if path not in paths:
            paths.append(path)
    return paths


def replacement_fields(name, schema):
    """The index fields `a=` and `c=` of a type (see the docstring)."""
    always = property_paths(name, schema, "createOnlyProperties")
    conditional = [p for p in property_paths(name, schema, "conditionalCreateOnlyProperties") if p not in always]
    fields = ""
    if always:
        fields += " a=" + ",".join(always)
    if conditional:
        fields += " c=" + ",".join(conditional)
    return fields


def schemas():
    found = {}
    for region in ["us-east-1"] + [r for r in REGIONS if r != "us-east-1"]:
        try:
            names = manager.get_resource_types(region)
        except Exception:  # a region cfn-lint has no schemas for
            continue
        for name in names:
            if name in found or not name.startswith("AWS::") or name.startswith("AWS::Serverless::"):
                continue
            found[name] = manager.get_resource_schema(region, name).schema
    return found


def main():
    models = {prefix: service_model(service) for prefix, service in SERVICE_MODELS}
    found = {name: with_service_enums(name, schema, models) for name, schema in schemas().items()}
    data = []
    index = []
    offset = 0
    for name in sorted(found, key=lambda n: n.encode()):
        flattener = Flattener(found[name])
        flattener.node(found[name])
        block = "".join(line + "\n" for line in flattener.lines)
        size = len(block.encode())
        index.append("%s %d %d%s" % (name, offset, offset + size, replacement_fields(name, found[name])))
        data.append(block)
        offset += size
    out = sys.stdout
    out.write("// Generated by scripts/gen-resource-schemas.py from cfn-lint %s (%d types) and botocore %s (%s). Do not edit.\n"
              % (cfnlint.version.__version__, len(found), botocore.__version__, ", ".join(m[1] for m in models.values())))
    out.write("\n")
    out.write("extension ResourceSchema {\n")
    out.write("    /// One line per type, sorted by name in byte order: the type, the byte range of its\n")
    out.write("    /// nodes in `data`, and its createOnly (`a=`) and conditionalCreateOnly (`c=`) property\n")
    out.write("    /// paths (the format is described in the generator).\n")
    out.write('    static let index: StaticString = """\n')
    for line in index:
        out.write(line + "\n")
    out.write('"""\n\n')
    out.write("    /// The nodes of every type, one per line (the format is described in the generator).\n")
    out.write('    static let data: StaticString = """\n')
    for block in data:
        out.write(block)
    # A multi-line literal drops the newline before its closing quotes: this blank line keeps
    # the last node's, so the byte ranges of the index hold to the end.
    out.write('\n"""\n')
    out.write("}\n")


if __name__ == "__main__":
    main()
