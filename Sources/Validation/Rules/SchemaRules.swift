import CloudFormation
import YAML

/// Every property of every `AWS::*` resource checked against its resource provider schema
/// (`ResourceSchema`): unknown and missing properties, JSON types with CloudFormation's own
/// coercions, allowed values, ranges, lengths and list sizes.
///
/// An error here is a promise that the deploy fails. A value computed by an intrinsic
/// function is checked only as far as its result is known: both branches of `Fn::If`, the
/// literal text `Fn::Sub`/`Fn::Join` assemble, the `AllowedValues` of a parameter a `Ref`
/// names; anything else is unknown and never a finding. `Ref: AWS::NoValue` removes a property
/// or a list item. Resources a macro or `Fn::Transform` could rewrite are not read.
public struct SchemaRules: RuleFamily {
    public static let family = Family.schema

    static let unknownProperty = Rule(
        "schema-unknown-property", .schema, .error, "A property the resource type does not have",
        "Each resource type, and each object inside its properties, accepts only the properties its resource provider schema declares; CloudFormation refuses any other ('Encountered unsupported property …' or 'extraneous key [X] is not permitted'). Property names are case sensitive: the message suggests the closest declared name. A property that belongs one level up or down is a common cause: check the indentation.")
    static let required = Rule(
        "schema-required", .schema, .error, "A required property is missing",
        "The resource provider schema lists properties that must be present, at the top of Properties and inside nested objects and list items ('required key [X] not found'); some objects need one of several properties, or a property whenever another is given. CloudFormation refuses the resource without them. Add the property the message names. A property given through Fn::If counts as present, whichever branch is taken.")
    static let type = Rule(
        "schema-type", .schema, .error, "A value of the wrong JSON type",
        "Each property has a JSON type: object, array, string, integer, number or boolean. CloudFormation converts scalars where it can ('10' is a fine integer, 'true' a fine boolean, a number a fine string), but a list or mapping where a scalar belongs, a scalar where a list or mapping belongs, text that is no number where a number belongs, or text other than true/false where a boolean belongs fails ('expected type: JSONArray, found: String'). Fn::Sub and Fn::Join always return a string, so they cannot give a list or an object. Change the value's shape; for a list, write each item on its own `-` line.")
    static let enumValue = Rule(
        "schema-enum", .schema, .error, "A value outside the property's allowed values",
        "The property accepts only the values its schema (or the service's API model, for the values the schema leaves open) lists; anything else is refused ('failed validation constraint for keyword [enum]'). Values are case sensitive unless the schema says otherwise; the message lists the allowed values and the closest one. A Ref to a parameter is checked through the parameter's AllowedValues: when none of them is accepted the deploy fails whichever is chosen.")
    static let enumCase = Rule(
        "schema-enum-case", .schema, .warning, "A value that differs from the service's allowed value only in case",
        "The value matches one the service's API model lists (API Gateway V2's IntegrationType, AuthorizationType, LoggingLevel, …, which the resource schemas leave open) except for case. The service documents the value as listed; whether it accepts another case is not documented, so this is a warning. Write the value exactly as the message shows.")
    static let range = Rule(
        "schema-range", .schema, .error, "A number outside the property's minimum or maximum",
        "The schema bounds the property's value (inclusive minimum and maximum), and the service refuses a value outside them. The message names the bounds: use a value inside them.")
    static let length = Rule(
        "schema-length", .schema, .error, "A string shorter or longer than the property allows",
        "The schema bounds the property's length (minLength/maxLength, in characters); the service refuses a string outside them, an empty string included where at least one character is needed. Shorten or complete the value; for a name, a shorter prefix usually does.")
    static let pattern = Rule(
        "schema-pattern", .schema, .error, "A string that does not match the property's pattern",
        "The schema gives the property a regular expression the whole value must match (a name's allowed characters, an account id's 12 digits); the deploy fails on a value that does not ('failed validation constraint for keyword [pattern]'). Checked only where the answer cannot depend on the regular-expression dialect: patterns that ^…$ anchors as a whole (alternatives only inside groups), without lookbehind, and values of printable ASCII on one line. The message shows the pattern: change the value to match it.")
    static let items = Rule(
        "schema-items", .schema, .error, "A list with fewer or more items than the property allows",
        "The schema bounds how many items the list holds (minItems/maxItems); the service refuses a list outside them. Items removed by `Ref: AWS::NoValue` do not count; an item inside Fn::If counts only when it is there whichever branch is taken, so only lists that are out of bounds either way are reported.")
    static let uniqueItems = Rule(
        "schema-unique-items", .schema, .error, "A list that holds the same value twice where its items must be unique",
        "The schema says the list's items are unique (uniqueItems), and CloudFormation refuses a list that repeats one ('array items are not unique'). Only items written as literal strings are compared, since a number and the same text, or two computed values, may or may not be equal once resolved. Remove the repeated item.")
    static let parameterValue = Rule(
        "schema-parameter-value", .schema, .warning, "A parameter allows a value the property refuses",
        "The property is a Ref to a parameter whose AllowedValues include values the property's schema refuses (another is accepted, so the deploy fails only when one of these is chosen). Remove those values from AllowedValues, or fix their spelling.")

    public static let rules: [Rule] = [unknownProperty, required, type, enumValue, enumCase, range, length, pattern, items, uniqueItems, parameterValue]

    /// Properties whose value may be a local path that `aws cloudformation package` (or `sam
    /// deploy`) replaces with an S3 location before CloudFormation sees it, so a string there
    /// is not a type error (cfn-lint's TEMPLATED_PROPERTY_CFN_PATHS).
    static let packagedPaths: [String: Set<String>] = [
        "AWS::ApiGateway::RestApi": ["BodyS3Location"],
        "AWS::Lambda::Function": ["Code"],
        "AWS::Lambda::LayerVersion": ["Content"],
        "AWS::ElasticBeanstalk::ApplicationVersion": ["SourceBundle"],
        "AWS::StepFunctions::StateMachine": ["DefinitionS3Location"],
        "AWS::AppSync::GraphQLSchema": ["DefinitionS3Location"],
        "AWS::AppSync::Resolver": ["RequestMappingTemplateS3Location", "ResponseMappingTemplateS3Location"],
        "AWS::AppSync::FunctionConfiguration": ["RequestMappingTemplateS3Location", "ResponseMappingTemplateS3Location"],
        "AWS::CloudFormation::Stack": ["TemplateURL"],
        "AWS::CodeCommit::Repository": ["Code/S3"],
    ]

    /// Properties another family checks with better data (Lambda's runtime lifecycle and
    /// limits in the template family), left out here so one defect gives one finding.
    static let checkedElsewhere: [String: Set<String>] = [
        "AWS::Lambda::Function": ["Runtime", "Timeout", "MemorySize"],
    ]

    public init() {}

    public func check(_ context: ValidationContext, into report: inout Report) {
        let template = context.template
        // A macro may add, rename or remove properties: what CloudFormation will see is unknown.
        guard !template.hasUnknownMacro else { return }
        let allowedValues = Self.allowedValues(template)
        // Each type's schema and the nodes decoded so far, shared by its resources.
        var schemas: [String: (schema: ResourceSchema.TypeSchema, decoded: [Int: ResourceSchema.Property])] = [:]
        var compiled: [String: AllowedPattern] = [:]
        for entry in template.resources where !entry.id.hasPrefix("Fn::") {
            guard let type = entry.resourceType, type.hasPrefix("AWS::"), !type.hasPrefix("AWS::Serverless::"),
                  !Self.containsTransform(entry.value) else { continue }
            // Taken out of the table while its resource is walked, so the decoded nodes are
            // extended in place instead of copied.
            guard let (schema, decoded) = schemas.removeValue(forKey: type) ?? ResourceSchema.schema(for: type).map({ ($0, [:]) })
            else { continue }
            var walk = SchemaWalk(schema: schema, logicalId: entry.id, allowedValues: allowedValues,
                                  packaged: Self.packagedPaths[type] ?? [], skipped: Self.checkedElsewhere[type] ?? [],
                                  decoded: decoded, compiled: compiled, report: report)
            if let pair = entry.value.pairs?.first(where: { $0.key.scalar == "Properties" }) {
                walk.check(pair.value, node: 0, path: walk.root, owner: pair.key)
            } else {
                walk.checkRequired(present: [], shape: schema.root, path: walk.root, owner: entry.key)
            }
            report = walk.report
            Self.checkServiceRequired(entry, type: type, into: &report)
            schemas[type] = (schema, walk.decoded)
            compiled = walk.compiled
        }
        if template.isSAM { checkServerlessFunctions(template, allowedValues: allowedValues, into: &report) }
    }

    /// Properties a service's create call requires that the provider schema leaves optional,
    /// because another property can stand in for them (botocore's `required` members).
    /// API Gateway's CreateApi needs a Name and a ProtocolType unless the API is imported
    /// from an OpenAPI document (`Body`, `BodyS3Location`), which then names it.
    static let serviceRequired: [String: (required: [String], unless: [String], call: String)] = [
        "AWS::ApiGatewayV2::Api": (["Name", "ProtocolType"], ["Body", "BodyS3Location"], "API Gateway's CreateApi"),
    ]

    static func checkServiceRequired(_ entry: SourceTemplate.Entry, type: String, into report: inout Report) {
        guard let rule = serviceRequired[type] else { return }
        let propertiesKey = entry.value.pairs?.first { $0.key.scalar == "Properties" }?.key
        let properties = entry.properties
        // Properties that are no mapping are the type rule's; an intrinsic may hold anything.
        if let properties, properties.pairs == nil || Intrinsic(properties) != nil { return }
        func present(_ name: String) -> Bool {
            guard let node = properties?[name] else { return false }
            return !node.isNull && !Intrinsic.isNoValue(node)
        }
        if properties?["Fn::Transform"] != nil || rule.unless.contains(where: present) { return }
        let missing = rule.required.filter { !present($0) }
        guard !missing.isEmpty else { return }
        let names = missing.map { "'\($0)'" }.joined(separator: ", ")
        report.add(SchemaRules.required,
                   "\(type) Properties: \(names) \(missing.count == 1 ? "is" : "are") required by \(rule.call) unless the API is imported from \(rule.unless.joined(separator: " or ")); add \(missing.count == 1 ? "it" : "them")",
                   at: propertiesKey ?? entry.key, logicalId: entry.id, path: "Resources/\(entry.id)/Properties")
    }

    /// What an `AWS::Serverless::Function` hands to the `AWS::Lambda::Function` SAM makes of it
    /// unchanged (the translator's `_construct_lambda_function`), so the Lambda schema judges
    /// it. `Runtime`, `Timeout` and `MemorySize` are the template family's; `Tags`, `Tracing`,
    /// `DeadLetterQueue` and the code are reshaped by SAM and read separately or not at all.
    static let lambdaPassThrough: Set<String> = [
        "Architectures", "CodeSigningConfigArn", "Description", "DurableConfig", "Environment", "EphemeralStorage",
        "FileSystemConfigs", "FunctionName", "FunctionScalingConfig", "Handler", "ImageConfig", "KmsKeyArn", "Layers",
        "LoggingConfig", "PackageType", "RecursiveLoop", "ReservedConcurrentExecutions", "Role", "RuntimeManagementConfig",
        "SnapStart", "TenancyConfig", "VpcConfig",
    ]

    /// Checks each SAM function's pass-through properties, and Globals.Function's once, at the
    /// line the user wrote them, against the Lambda function's schema. SAM's `Tracing` becomes
    /// `TracingConfig.Mode` (except `Disabled`, which SAM drops).
    func checkServerlessFunctions(_ template: SourceTemplate, allowedValues: [String: [String]], into report: inout Report) {
        guard let schema = ResourceSchema.schema(for: "AWS::Lambda::Function") else { return }
        let root = schema.root
        var decoded: [Int: ResourceSchema.Property] = [:]
        var compiled: [String: AllowedPattern] = [:]
        func walk(_ properties: Node, logicalId: String?, path: String) {
            guard let pairs = properties.pairs, Intrinsic(properties) == nil, !Self.containsTransform(properties) else { return }
            var walk = SchemaWalk(schema: schema, logicalId: logicalId, root: path, allowedValues: allowedValues,
                                  packaged: [], skipped: [], decoded: decoded, compiled: compiled, report: report)
            for pair in pairs {
                guard let name = pair.key.scalar, !Intrinsic.isNoValue(pair.value) else { continue }
                if Self.lambdaPassThrough.contains(name), let known = root.property(name), let node = known {
                    walk.check(pair.value, node: node, path: path + "/" + name, owner: pair.key)
                } else if name == "Tracing", literalText(pair.value) != "Disabled",
                          let config = root.property("TracingConfig"), let configNode = config,
                          let mode = schema.node(configNode)?.property("Mode"), let modeNode = mode {
                    walk.check(pair.value, node: modeNode, path: path + "/Tracing", owner: pair.key)
                }
            }
            report = walk.report
            decoded = walk.decoded
            compiled = walk.compiled
        }
        if let globals = template.root["Globals"]?["Function"] {
            walk(globals, logicalId: nil, path: "Globals/Function")
        }
        for entry in template.resources where entry.resourceType == "AWS::Serverless::Function" {
            guard let properties = entry.properties else { continue }
            walk(properties, logicalId: entry.id, path: "Resources/\(entry.id)/Properties")
        }
    }

    /// Each parameter's literal `AllowedValues`, by name, for the parameters whose `Ref` is
    /// one of them: a list parameter's Ref is a list, and an SSM parameter's AllowedValues
    /// constrain the parameter's name, not the value it resolves to.
    static func allowedValues(_ template: SourceTemplate) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for parameter in template.parameters {
            guard let type = literalText(parameter.value["Type"]), !type.hasPrefix("List<"), type != "CommaDelimitedList",
                  !type.hasPrefix("AWS::SSM::"),
                  let list = parameter.value["AllowedValues"], Intrinsic(list) == nil, let items = list.items else { continue }
            let texts = items.compactMap(literalText)
            if !texts.isEmpty, texts.count == items.count { values[parameter.id] = texts }
        }
        return values
    }

    /// Whether `Fn::Transform` (a macro run on this part of the template) appears under `node`.
    static func containsTransform(_ node: Node) -> Bool {
        if node.tag == "!Transform" { return true }
        switch node.kind {
        case .scalar: return false
        case .sequence(let items, _): return items.contains(where: containsTransform)
        case .mapping(let pairs, _):
            return pairs.contains { $0.key.scalar == "Fn::Transform" || containsTransform($0.value) }
        }
    }
}

/// One resource's properties walked against its schema, findings collected on the way.
struct SchemaWalk {
    let schema: ResourceSchema.TypeSchema
    let logicalId: String?
    /// `Resources/<id>/Properties`, the path every finding's path starts with.
    let root: String
    let allowedValues: [String: [String]]
    /// Property paths (below Properties) where a string may be a local path to package.
    let packaged: Set<String>
    /// Top-level properties another family owns.
    let skipped: Set<String>
    var report: Report
    /// Nodes decoded so far: a node shared by many values (or resources) is decoded once.
    private(set) var decoded: [Int: ResourceSchema.Property]
    /// Patterns compiled so far, by text (compiling costs more than matching).
    private(set) var compiled: [String: AllowedPattern]

    init(schema: ResourceSchema.TypeSchema, logicalId: String?, root: String? = nil, allowedValues: [String: [String]],
         packaged: Set<String>, skipped: Set<String>, decoded: [Int: ResourceSchema.Property],
         compiled: [String: AllowedPattern], report: Report) {
        self.schema = schema
        self.logicalId = logicalId
        self.root = root ?? "Resources/\(logicalId ?? "")/Properties"
        self.allowedValues = allowedValues
        self.packaged = packaged
        self.skipped = skipped
        self.decoded = decoded
        self.compiled = compiled
        self.report = report
    }

    private mutating func shape(_ index: Int) -> ResourceSchema.Property? {
        if let known = decoded[index] { return known }
        let shape = schema.node(index)
        decoded[index] = shape
        return shape
    }

    private mutating func add(_ rule: Rule, _ message: String, at node: Node, path: String) {
        report.add(rule, message, at: node, logicalId: logicalId, path: path)
    }

    /// Checks `value` against node `index`; `owner` is where a missing property is reported
    /// (the key whose value this is, or the list item).
    mutating func check(_ value: Node, node index: Int, path: String, owner: Node) {
        guard let shape = shape(index) else { return }
        check(value, shape: shape, path: path, owner: owner)
    }

    /// The scalar JSON types, all of which a YAML scalar may be converted to.
    static let scalarTypes: ResourceSchema.JSONTypes = [.string, .integer, .number, .boolean]

    private mutating func checkObject(_ pairs: [Node.Pair], shape: ResourceSchema.Property, path: String, owner: Node) {
        var present: Set<String> = []
        for pair in pairs {
            guard let name = pair.key.scalar, !Intrinsic.isNoValue(pair.value) else { continue }
            present.insert(name)
            let childPath = path + "/" + name
            if let known = shape.property(name) {
                if let node = known, !(path == root && skipped.contains(name)) { check(pair.value, node: node, path: childPath, owner: pair.key) }
            } else if shape.closed {
                var message = "\(describe(path)) has no property '\(name)'"
                if let closest = TemplateRules.Suggestion.closest(to: name, in: shape.properties.map(\.name)) {
                    message += "; did you mean '\(closest)'?"
                } else {
                    message += "; it accepts " + Self.list(shape.properties.map(\.name))
                }
                add(SchemaRules.unknownProperty, message, at: pair.key, path: childPath)
            } else if let other = shape.otherValues {
                check(pair.value, node: other, path: childPath, owner: pair.key)
            }
        }
        checkRequired(present: present, shape: shape, path: path, owner: owner)
    }

    /// Required properties, one-of alternatives and dependent requirements of an object whose
    /// keys are `present`.
    mutating func checkRequired(present: Set<String>, shape: ResourceSchema.Property, path: String, owner: Node) {
        let missing = shape.required.filter { !present.contains($0) }
        if !missing.isEmpty {
            let names = missing.map { "'\($0)'" }.joined(separator: ", ")
            let verb = missing.count == 1 ? "is" : "are"
            add(SchemaRules.required, "\(describe(path)): required property \(names) \(verb) missing", at: owner, path: path)
        }
        if !shape.alternatives.isEmpty, !shape.alternatives.contains(where: { $0.allSatisfy(present.contains) }) {
            let options = shape.alternatives.map { $0.joined(separator: " + ") }.joined(separator: ", or ")
            add(SchemaRules.required, "\(describe(path)) needs one of: \(options)", at: owner, path: path)
        }
        for dependency in shape.dependentRequired where present.contains(dependency.key) {
            let absent = dependency.required.filter { !present.contains($0) }
            guard !absent.isEmpty else { continue }
            let names = absent.map { "'\($0)'" }.joined(separator: ", ")
            add(SchemaRules.required, "\(describe(path)): '\(dependency.key)' is given, so \(names) must be too", at: owner, path: path)
        }
    }

    private mutating func checkList(_ list: Node, _ items: [Node], shape: ResourceSchema.Property, path: String) {
        var certain = 0
        var possible = 0
        for (offset, item) in items.enumerated() {
            if Intrinsic.isNoValue(item) { continue }
            possible += 1
            if let call = Intrinsic(item), call.name == "Fn::If", alternatives(item).count < 2 {
                // One branch is AWS::NoValue: the item may or may not be there.
            } else {
                certain += 1
            }
            if let node = shape.items { check(item, node: node, path: path + "/\(offset)", owner: item) }
        }
        if shape.uniqueItems {
            // Only items that are certainly strings: `1` and `'1'` are different JSON values,
            // and whether CloudFormation converts one into the other first is not documented.
            var seen: [String: Int] = [:]
            for (offset, item) in items.enumerated() {
                guard item.tag == nil, case .scalar(let text, let style) = item.kind,
                      style != .plain || ImplicitType.of(text) == .string else { continue }
                if let first = seen[text] {
                    add(SchemaRules.uniqueItems, "\(describe(path)) holds '\(text)' twice (items \(first) and \(offset)); its items must be unique", at: item, path: path + "/\(offset)")
                } else {
                    seen[text] = offset
                }
            }
        }
        if let minimum = shape.minItems, possible < minimum {
            add(SchemaRules.items, "\(describe(path)) has \(possible) item\(possible == 1 ? "" : "s"), at least \(minimum) needed", at: list, path: path)
        }
        if let maximum = shape.maxItems, certain > maximum {
            add(SchemaRules.items, "\(describe(path)) has \(certain) items, at most \(maximum) allowed", at: list, path: path)
        }
    }

    /// An intrinsic function as the value: its result, where it is known.
    private mutating func checkCall(_ call: Intrinsic, shape: ResourceSchema.Property, path: String, owner: Node) {
        let types = shape.types
        switch call.name {
        case "Fn::If":
            guard let items = call.argument.items, items.count == 3 else { return }
            for branch in items[1...2] where !Intrinsic.isNoValue(branch) {
                check(branch, shape: shape, path: path, owner: owner)
            }
        case "Ref":
            guard let name = literalText(call.argument), let values = allowedValues[name],
                  types.isEmpty || !types.isDisjoint(with: SchemaWalk.scalarTypes) else { return }
            checkParameter(name, values: values, shape: shape, at: call.node, path: path)
        case "Fn::Sub", "Fn::Join", "Fn::Base64", "Fn::ToJsonString", "Fn::Split", "Fn::GetAZs", "Fn::Cidr":
            let returnsList = ["Fn::Split", "Fn::GetAZs", "Fn::Cidr"].contains(call.name)
            let fits = types.isEmpty || (returnsList ? types.contains(.array) : !types.isDisjoint(with: Self.scalarTypes))
            guard fits else {
                if !returnsList && isPackaged(path) { return }
                let result = returnsList ? "a list" : "a string"
                add(SchemaRules.type, "\(describe(path)) must be \(Self.typeList(types)), but \(call.name) returns \(result)", at: call.node, path: path)
                return
            }
            guard !returnsList, call.name == "Fn::Sub" || call.name == "Fn::Join", shape.constrainsScalars,
                  let values = Symbolic.possibilities(of: call.node) else { return }
            // Only values whose every piece is literal text are known.
            for text in Set(values.compactMap(\.literal)).sorted() {
                for problem in problems(text, plain: false, shape: shape) {
                    add(problem.rule, "\(describe(path)): \(problem.message)", at: call.node, path: path)
                }
            }
        default:
            return
        }
    }

    /// Checks `value` against `shape` (an `Fn::If` branch is checked against the shape its
    /// `If` stands at).
    private mutating func check(_ value: Node, shape: ResourceSchema.Property, path: String, owner: Node) {
        guard !value.isNull else { return }
        if let call = Intrinsic(value) {
            checkCall(call, shape: shape, path: path, owner: owner)
            return
        }
        // An unknown tag is the yaml family's finding; what it means here cannot be known.
        guard value.tag == nil else { return }
        let types = shape.types
        switch value.kind {
        case .mapping(let pairs, _):
            guard types.isEmpty || types.contains(.object) else {
                add(SchemaRules.type, "\(describe(path)) must be \(Self.typeList(types)), not a mapping", at: value, path: path)
                return
            }
            // `Fn::If` as a key among others, `Fn::ForEach`, a YAML merge key `<<` (whether
            // CloudFormation's reader merges it is not documented): the object that results is
            // unknown.
            guard !pairs.contains(where: { $0.key.scalar.map { $0.hasPrefix("Fn::") || $0 == "<<" } ?? true }) else { return }
            checkObject(pairs, shape: shape, path: path, owner: owner)
            if let branch = shape.branch(for: .object) { check(value, node: branch, path: path, owner: owner) }
        case .sequence(let items, _):
            guard types.isEmpty || types.contains(.array) else {
                add(SchemaRules.type, "\(describe(path)) must be \(Self.typeList(types)), not a list", at: value, path: path)
                return
            }
            checkList(value, items, shape: shape, path: path)
            if let branch = shape.branch(for: .array) { check(value, node: branch, path: path, owner: owner) }
        case .scalar(let text, let style):
            if !types.isEmpty, types.isDisjoint(with: Self.scalarTypes) {
                if isPackaged(path) { return }
                add(SchemaRules.type, "\(describe(path)) must be \(Self.typeList(types)), not the value '\(text)'", at: value, path: path)
                return
            }
            for problem in problems(text, plain: style == .plain, shape: shape) {
                add(problem.rule, "\(describe(path)): \(problem.message)", at: value, path: path)
            }
            if let branch = shape.branch(for: .scalar) { check(value, node: branch, path: path, owner: owner) }
        }
    }

    /// A Ref to a parameter with AllowedValues: each value the deploy may pass, checked.
    private mutating func checkParameter(_ name: String, values: [String], shape: ResourceSchema.Property, at node: Node, path: String) {
        var refused: [(value: String, problem: (rule: Rule, message: String))] = []
        for value in values {
            // Only errors refuse a value; a difference of case is not known to.
            if let problem = problems(value, plain: false, shape: shape).first(where: { $0.rule.severity == .error }) {
                refused.append((value, problem))
            }
        }
        guard let first = refused.first else { return }
        if refused.count == values.count {
            add(first.problem.rule, "\(describe(path)): parameter '\(name)' allows only values the property refuses: \(first.problem.message)", at: node, path: path)
        } else {
            let names = refused.map { "'\($0.value)'" }.joined(separator: ", ")
            add(SchemaRules.parameterValue, "\(describe(path)): parameter '\(name)' allows \(names), which the property refuses (\(first.problem.message)); the deploy fails when one of them is chosen", at: node, path: path)
        }
    }

    // MARK: - Scalars

    /// What is wrong with the scalar `text` (written plain or quoted) at `shape`.
    mutating func problems(_ text: String, plain: Bool, shape: ResourceSchema.Property) -> [(rule: Rule, message: String)] {
        let types = shape.types
        let isNumber = ParameterDefinition.isNumber(text)
        // YAML 1.1 words and number forms (yes, on, 0x1F, .inf, 1_000) read differently by
        // different YAML readers: what CloudFormation receives is not certain.
        if plain, !isNumber {
            switch ImplicitType.of(text) {
            case .int, .float: return []
            case .bool where !["true", "false"].contains(text.lowercased()): return []
            default: break
            }
        }
        if !types.isEmpty, !types.contains(.string) {
            let fits = (types.contains(.integer) || types.contains(.number)) && isNumber
                || types.contains(.boolean) && ["true", "false"].contains(text.lowercased())
            guard fits else { return [(SchemaRules.type, "'\(text)' is not \(Self.typeList(types))")] }
        }
        var found: [(rule: Rule, message: String)] = []
        if let allowed = shape.allowedValues, !allowed.contains(where: { Self.matches(text, $0, ignoringCase: shape.allowedValuesIgnoreCase) }) {
            var message = "'\(text)' is not one of \(Self.list(allowed))"
            if let closest = TemplateRules.Suggestion.closest(to: text, in: allowed) { message += "; did you mean \(closest)?" }
            found.append((SchemaRules.enumValue, message))
        }
        if shape.allowedValues == nil, let allowed = shape.serviceValues, !allowed.contains(text) {
            if let same = allowed.first(where: { $0.lowercased() == text.lowercased() }) {
                found.append((SchemaRules.enumCase, "'\(text)' differs from \(same) only in case; the service lists \(Self.list(allowed)), and whether it accepts another case is not documented"))
            } else {
                var message = "'\(text)' is not one of \(Self.list(allowed)) (the service's API model)"
                if let closest = TemplateRules.Suggestion.closest(to: text, in: allowed) { message += "; did you mean \(closest)?" }
                found.append((SchemaRules.enumValue, message))
            }
        }
        if isNumber, let value = Double(text.trimmingSpaces()) {
            if let minimum = shape.minimum, value < minimum {
                found.append((SchemaRules.range, "\(text) is less than the minimum of \(Self.number(minimum))\(shape.maximum.map { " (allowed: \(Self.number(minimum))–\(Self.number($0)))" } ?? "")"))
            } else if let maximum = shape.maximum, value > maximum {
                found.append((SchemaRules.range, "\(text) is greater than the maximum of \(Self.number(maximum))\(shape.minimum.map { " (allowed: \(Self.number($0))–\(Self.number(maximum)))" } ?? "")"))
            }
        }
        if types.isEmpty || types.contains(.string) {
            let count = text.unicodeScalars.count
            if let minimum = shape.minLength, count < minimum {
                found.append((SchemaRules.length, "'\(text)' is \(count) character\(count == 1 ? "" : "s") long, at least \(minimum) needed"))
            } else if let maximum = shape.maxLength, count > maximum {
                found.append((SchemaRules.length, "'\(text.prefix(40))\(count > 40 ? "…" : "")' is \(count) characters long, at most \(maximum) allowed"))
            } else if let repeated = shape.repeatedClass, !plain || ImplicitType.of(text) == .string, repeated.matches(text) == false {
                found.append((SchemaRules.pattern, "'\(text.prefix(60))\(count > 60 ? "…" : "")' does not match the pattern \(repeated.pattern)"))
            } else if let pattern = shape.pattern, !plain || ImplicitType.of(text) == .string, matches(text, pattern: pattern) == false {
                // After the length, so one wrong value gives one finding. A plain number or
                // boolean reaches the service as text a YAML reader re-wrote (`1.10` may arrive
                // as 1.1): only text written as text is matched.
                found.append((SchemaRules.pattern, "'\(text.prefix(60))\(count > 60 ? "…" : "")' does not match the pattern \(pattern)"))
            }
        }
        return found
    }

    /// Whether `text` matches `pattern` as a whole; `nil` when the answer could depend on the
    /// dialect (JSON Schema's ECMAScript or the Java CloudFormation validates with): text
    /// outside printable ASCII (where `\s`, `\w` and `.` differ, and `$` before a final
    /// newline), or a pattern the one pattern compiler (`AllowedPattern`) cannot take.
    private mutating func matches(_ text: String, pattern: String) -> Bool? {
        guard text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        if compiled[pattern] == nil { compiled[pattern] = AllowedPattern(pattern) }
        return compiled[pattern]?.matches(text)
    }

    /// Whether `text` is the allowed `value`: the same text, the same number, or the same boolean.
    static func matches(_ text: String, _ value: String, ignoringCase: Bool) -> Bool {
        if text == value { return true }
        if ignoringCase, text.lowercased() == value.lowercased() { return true }
        if ParameterDefinition.isNumber(text), ParameterDefinition.isNumber(value),
           let a = Double(text.trimmingSpaces()), let b = Double(value.trimmingSpaces()) { return a == b }
        let lowered = text.lowercased()
        return (lowered == "true" || lowered == "false") && lowered == value
    }

    // MARK: - Words

    /// The path below `Properties` (`Code/S3Key`), empty for `Properties` itself.
    private func relative(_ path: String) -> Substring {
        path.dropFirst(root.count).drop { $0 == "/" }
    }

    private func isPackaged(_ path: String) -> Bool {
        packaged.contains(String(relative(path)))
    }

    /// `Properties` or the property path, for messages.
    private func describe(_ path: String) -> String {
        let below = relative(path)
        return below.isEmpty ? "\(schema.type) Properties" : "'\(below)'"
    }


    static func typeList(_ types: ResourceSchema.JSONTypes) -> String {
        let names = types.names.map { ["array", "integer", "object"].contains($0) ? "an \($0)" : "a \($0)" }
        guard names.count > 1 else { return names.first ?? "a value" }
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }

    /// A list of names for a message; long lists are cut.
    static func list(_ names: [String]) -> String {
        let shown = 24
        guard names.count > shown else { return names.joined(separator: ", ") }
        return names.prefix(shown).joined(separator: ", ") + ", … (\(names.count) in all)"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
