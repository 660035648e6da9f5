import CloudFormation
import YAML

// Lambda's limits and runtime calendar, on functions and on SAM's Globals.Function.
extension TemplateRules {
    static let functionTypes: Set<String> = ["AWS::Lambda::Function", "AWS::Serverless::Function"]

    /// A numeric setting Lambda bounds.
    struct Limit {
        let property: String
        let range: ClosedRange<Int>
        let unit: String
        let rule: Rule
    }

    static let limits = [
        Limit(property: "Timeout", range: 1...900, unit: "seconds", rule: lambdaTimeout),
        Limit(property: "MemorySize", range: 128...10240, unit: "MB", rule: lambdaMemory),
    ]

    static func checkLambda(_ sites: [ResourceSite], _ scope: Scope, into report: inout Report) {
        for site in sites {
            guard let type = site.type, functionTypes.contains(type),
                  let properties = site.value["Properties"], properties.pairs != nil else { continue }
            checkFunction(properties, owner: "function '\(site.id)'", logicalId: site.id, path: site.path + "/Properties",
                          scope, into: &report)
        }
        // Without the transform, Globals is already an error of its own.
        if scope.isSAM, let globals = scope.template.root["Globals"]?["Function"], globals.pairs != nil {
            checkFunction(globals, owner: "Globals.Function", logicalId: nil, path: "Globals/Function", scope, into: &report)
        }
    }

    static func checkFunction(_ properties: Node, owner: String, logicalId: String?, path: String, _ scope: Scope,
                              into report: inout Report) {
        for limit in limits {
            guard let node = properties[limit.property] else { continue }
            checkLimit(limit, node, owner: owner, logicalId: logicalId, path: "\(path)/\(limit.property)", scope, into: &report)
        }
        if let node = properties["Runtime"] {
            checkRuntime(node, owner: owner, logicalId: logicalId, path: "\(path)/Runtime", scope, into: &report)
        }
        if let variables = properties["Environment"]?["Variables"]?.pairs {
            checkEnvironmentNames(variables, owner: owner, logicalId: logicalId, path: "\(path)/Environment/Variables", into: &report)
        }
    }

    /// The names Lambda keeps for itself (its documentation's list, as cfn-lint's E3663 has it).
    static let reservedEnvironmentNames: Set<String> = [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ]

    /// Whether Lambda's API accepts `name` as a variable name: `[a-zA-Z]([a-zA-Z0-9_])+`, the
    /// whole name (AWS's API patterns match whole values).
    static func isEnvironmentName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func letter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        guard bytes.count >= 2, letter(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy { letter($0) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    static func checkEnvironmentNames(_ variables: [Node.Pair], owner: String, logicalId: String?, path: String,
                                      into report: inout Report) {
        for pair in variables {
            // A key written as a tag or an intrinsic (Fn::If at the mapping's level) is not a name.
            guard pair.key.tag == nil, let name = pair.key.scalar, !name.hasPrefix("Fn::"), name != "Ref" else { continue }
            if !isEnvironmentName(name) {
                let hint = name.contains("-") || name.contains(".") ? "; use underscores: '\(name.replacing("-", with: "_").replacing(".", with: "_"))'" : ""
                report.add(lambdaEnvironmentName,
                           "environment variable '\(name)' of \(owner) is not a name Lambda accepts (a letter, then letters, digits or '_', at least two characters)\(hint)",
                           at: pair.key, logicalId: logicalId, path: "\(path)/\(name)")
            } else if reservedEnvironmentNames.contains(name) {
                report.add(lambdaEnvironmentName,
                           "environment variable '\(name)' of \(owner) is reserved by Lambda, which sets it itself and refuses the function; choose another name",
                           at: pair.key, logicalId: logicalId, path: "\(path)/\(name)")
            }
        }
    }

    /// A whole number written as a YAML number or a string (`10`, `"10"`, `10.0`).
    static func wholeNumber(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces()
        if let value = Int(trimmed) { return value }
        guard let value = Double(trimmed), value.isFinite, value == value.rounded(),
              abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    static func checkLimit(_ limit: Limit, _ node: Node, owner: String, logicalId: String?, path: String, _ scope: Scope,
                           into report: inout Report) {
        let bounds = "\(limit.range.lowerBound)–\(limit.range.upperBound) \(limit.unit)"
        if let call = Intrinsic(node) {
            // Only a Ref to a parameter with a literal default can be resolved, and a deploy
            // may override it: a warning, not an error.
            guard call.name == "Ref", let name = call.argument.scalar,
                  let parameter = scope.template.parameter(name), let fallback = parameter.value["Default"],
                  isLiteral(fallback), let value = fallback.scalar.flatMap(wholeNumber),
                  !limit.range.contains(value) else { return }
            report.add(lambdaParameterDefault,
                       "\(limit.property) of \(owner) is parameter '\(name)', whose default \(value) is outside Lambda's \(bounds); fix the default and bound the parameter with MinValue/MaxValue",
                       at: node, logicalId: logicalId, path: path)
            return
        }
        guard let text = node.scalar else {
            report.add(limit.rule, "\(limit.property) of \(owner) is \(describe(node)); write a whole number of \(limit.unit) within \(bounds)",
                       at: node, logicalId: logicalId, path: path)
            return
        }
        guard let value = wholeNumber(text) else {
            report.add(limit.rule, "\(limit.property) of \(owner) is \(describe(node)), not a whole number; write a number of \(limit.unit) within \(bounds)",
                       at: node, logicalId: logicalId, path: path)
            return
        }
        if !limit.range.contains(value) {
            report.add(limit.rule, "\(limit.property) \(value) of \(owner) is outside Lambda's \(bounds); set it within that range",
                       at: node, logicalId: logicalId, path: path)
        }
    }

    /// ISO dates compare as strings; the catalog says `None` where AWS published no date.
    static func isDate(_ text: String) -> Bool {
        text.first?.isNumber == true
    }

    static func checkRuntime(_ node: Node, owner: String, logicalId: String?, path: String, _ scope: Scope,
                             into report: inout Report) {
        if Intrinsic(node) != nil { return }
        guard let name = node.scalar else {
            report.add(runtimeUnknown, "Runtime of \(owner) is \(describe(node)); write a runtime identifier such as nodejs24.x",
                       at: node, logicalId: logicalId, path: path)
            return
        }
        guard let runtime = LambdaRuntime.catalog[name] else {
            // Suggest only runtimes a function can still be created on.
            let usable = LambdaRuntime.catalog.values.filter { !isDate($0.createBlocked) || scope.today < $0.createBlocked }
            let hint = Suggestion.closest(to: name, in: usable.map(\.identifier)).map { "did you mean '\($0)'?" }
                ?? "use one of Lambda's runtime identifiers, such as nodejs24.x or python3.13"
            report.add(runtimeUnknown, "unknown Lambda runtime '\(name)' on \(owner); \(hint)",
                       at: node, logicalId: logicalId, path: path)
            return
        }
        let today = scope.today
        let move = runtime.successor.map { "move to \($0)" } ?? "move to a supported runtime"
        if isDate(runtime.createBlocked), today >= runtime.createBlocked {
            var since = "Lambda refuses to create functions on it since \(runtime.createBlocked)"
            if isDate(runtime.updateBlocked) {
                since += today >= runtime.updateBlocked
                    ? " and to update them since \(runtime.updateBlocked)"
                    : " and will refuse updates from \(runtime.updateBlocked)"
            }
            report.add(runtimeBlocked, "runtime \(name) of \(owner) is deprecated since \(runtime.deprecated) and \(since); \(move)",
                       at: node, logicalId: logicalId, path: path)
        } else if isDate(runtime.deprecated), runtime.isDeprecated(on: today) {
            let blocked = isDate(runtime.createBlocked)
                ? " and Lambda blocks creating functions on it from \(runtime.createBlocked)" : ""
            report.add(runtimeDeprecated, "runtime \(name) of \(owner) is deprecated since \(runtime.deprecated)\(blocked); \(move)",
                       at: node, logicalId: logicalId, path: path)
        }
    }
}
