import YAML

// The Outputs section: each entry's keys, its Value, and its Export's Name (characters, and
// uniqueness within the template: an export name is unique per account and Region, so two
// outputs of one stack exporting the same name can never both be created).
extension TemplateRules {
    static let outputValue = Rule(
        "template-output-value", .template, .error, "An output without a Value",
        "Every entry of Outputs is a mapping with a Value (a string, or an intrinsic function that yields one); CloudFormation refuses an output without one, or with an empty Value, as a template format error. Add `Value: !Ref Resource` (or whatever the output should show), or remove the output.")
    static let outputKey = Rule(
        "template-output-key", .template, .warning, "An output key other than Description, Value, Export and Condition",
        "CloudFormation documents four keys for an output: Description, Value, Export and Condition (case sensitive). Any other key is at best ignored; cfn-lint reports it as an error (E6001), but whether a deploy refuses it is not documented, hence a warning. It is usually a misspelling (`Values`, `export`) of a key whose absence is then a real defect: fix the spelling or remove the key.")
    static let exportName = Rule(
        "template-export-name", .template, .error, "An output Export without a Name",
        "An output's Export is a mapping with one key, Name: the name other stacks pass to Fn::ImportValue. CloudFormation refuses an Export that is not a mapping, has no Name, or whose Name is a list or a mapping rather than a string ('The Name field of every Export member must be specified'). Write `Export: {Name: !Sub '${AWS::StackName}-Thing'}`.")
    static let exportNameCharacters = Rule(
        "template-export-name-characters", .template, .error, "An export name with characters CloudFormation refuses",
        "CloudFormation accepts export names made only of letters, digits, colons and hyphens ('The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens'), and fails the deploy otherwise. Underscores, dots, slashes and spaces are the usual culprits: `${AWS::StackName}:Api-Url` is fine, `${AWS::StackName}_ApiUrl` is not. Only the literal text of the name is checked; what a Ref or GetAtt in it yields is not known before the deploy.")
    static let exportNameUnicode = Rule(
        "template-export-name-unicode", .template, .warning, "An export name with non-ASCII letters",
        "CloudFormation says export names consist of 'alphanumeric characters, colons, or hyphens' and does not say whether letters outside ASCII (é, ß, ü) count as alphanumeric; every export name in AWS's documentation and samples is ASCII. Use ASCII letters to be sure the deploy accepts it.")
    static let exportNameDuplicate = Rule(
        "template-export-name-duplicate", .template, .error, "Two outputs export the same name",
        "Export names are unique per account and Region, so two outputs of one template exporting the same name can never both be created: the deploy fails. Give each export its own name, e.g. `${AWS::StackName}-ApiUrl` and `${AWS::StackName}-ApiId`. Reported only when both names are the same literal text or the same expression (the same Refs and GetAtts between the same text), and the outputs share their Condition.")

    /// The keys an output may hold.
    static let outputKeys = ["Description", "Value", "Export", "Condition"]

    static func checkOutputs(_ scope: Scope, into report: inout Report) {
        // A macro may rewrite the outputs, AWS::LanguageExtensions expands Fn::ForEach loops.
        if scope.hasMacro { return }
        var exports: [(name: Symbolic, condition: String?, node: Node, output: String)] = []
        for output in scope.template.outputs {
            if scope.hasLanguageExtensions && output.id.hasPrefix("Fn::ForEach::") { continue }
            let path = "Outputs/\(output.id)"
            guard let pairs = output.value.pairs, Intrinsic(output.value) == nil else {
                let fix = output.id.hasPrefix("Fn::ForEach::") ? "Fn::ForEach needs `Transform: AWS::LanguageExtensions`"
                    : "write `\(output.id): {Value: …}`"
                report.add(outputValue, "output '\(output.id)' is \(output.value.isNull ? "empty" : describe(output.value)), not a mapping with a Value; \(fix)",
                           at: output.value.isNull ? output.key : output.value, logicalId: output.id, path: path)
                continue
            }
            for pair in pairs {
                guard let key = pair.key.scalar, !outputKeys.contains(key) else { continue }
                let hint = Suggestion.closest(to: key, in: outputKeys).map { "did you mean '\($0)'?" }
                    ?? "an output holds only \(outputKeys.joined(separator: ", "))"
                report.add(outputKey, "'\(key)' is not a key of output '\(output.id)'; \(hint)",
                           at: pair.key, logicalId: output.id, path: "\(path)/\(key)")
            }
            let valueKey = pairs.first { $0.key.scalar == "Value" }
            if let valueKey, valueKey.value.isNull {
                report.add(outputValue, "the Value of output '\(output.id)' is empty; give it the value to show", at: valueKey.key,
                           logicalId: output.id, path: "\(path)/Value")
            } else if valueKey == nil {
                report.add(outputValue, "output '\(output.id)' has no Value; add one such as `Value: !Ref Resource`", at: output.key,
                           logicalId: output.id, path: path)
            }
            guard let export = pairs.first(where: { $0.key.scalar == "Export" }) else { continue }
            // Whether CloudFormation reads an explicit null Export as absent is not documented.
            if export.value.isNull { continue }
            guard export.value.pairs != nil, Intrinsic(export.value) == nil else {
                report.add(exportName, "the Export of output '\(output.id)' is \(describe(export.value)), not a mapping with a Name; write `Export: {Name: …}`",
                           at: export.value, logicalId: output.id, path: "\(path)/Export")
                continue
            }
            guard let name = export.value["Name"], !name.isNull else {
                let at = export.value.pairs?.first { $0.key.scalar == "Name" }?.key ?? export.key
                report.add(exportName, "the Export of output '\(output.id)' has no Name; add `Name: !Sub '${AWS::StackName}-\(output.id)'`",
                           at: at, logicalId: output.id, path: "\(path)/Export/Name")
                continue
            }
            // A list, or a mapping that is no intrinsic function, can never be a name.
            if Intrinsic(name) == nil, name.items != nil || name.pairs != nil {
                report.add(exportName, "the export name of output '\(output.id)' is \(describe(name)), not a string; write the name as text or a !Sub",
                           at: name, logicalId: output.id, path: "\(path)/Export/Name")
                continue
            }
            guard let value = Symbolic(name) else { continue }  // an intrinsic whose result is unknown here
            checkExportCharacters(value, at: name, output: output.id, path: "\(path)/Export/Name", into: &report)
            exports.append((value, literalText(output.value["Condition"]), name, output.id))
        }

        // Same expression, same condition: the same text at deploy time, whatever it is.
        var first: [Symbolic: (condition: String?, output: String)] = [:]
        for export in exports {
            let known = export.name.pieces.allSatisfy { if case .unknown = $0 { return false } else { return true } }
            guard known, !export.name.pieces.isEmpty else { continue }
            guard let earlier = first[export.name] else {
                first[export.name] = (export.condition, export.output)
                continue
            }
            guard earlier.condition == export.condition else { continue }
            report.add(exportNameDuplicate, "output '\(export.output)' exports '\(export.name)', as output '\(earlier.output)' already does; export names are unique per account and Region, so give this one another name",
                       at: export.node, logicalId: export.output, path: "Outputs/\(export.output)/Export/Name")
        }
    }

    /// Reports the characters of an export name's literal text that CloudFormation refuses.
    static func checkExportCharacters(_ name: Symbolic, at node: Node, output: String, path: String, into report: inout Report) {
        if name.literal == "" {
            report.add(exportNameCharacters, "the export name of output '\(output)' is empty; CloudFormation needs a name of letters, digits, ':' and '-'",
                       at: node, logicalId: output, path: path)
            return
        }
        var refused: [Character] = []
        var foreign: [Character] = []
        for piece in name.pieces {
            guard case .text(let text) = piece else { continue }
            for character in text {
                if character.isASCII {
                    let allowed = character.isLetter || character.isNumber || character == ":" || character == "-"
                    if !allowed, !refused.contains(character) { refused.append(character) }
                } else if !foreign.contains(character) {
                    foreign.append(character)
                }
            }
        }
        if !refused.isEmpty {
            let listed = refused.map { $0 == " " ? "' ' (space)" : "'\($0)'" }.joined(separator: ", ")
            report.add(exportNameCharacters, "export name '\(name)' of output '\(output)' contains \(listed); CloudFormation accepts only letters, digits, ':' and '-' (use '-' instead)",
                       at: node, logicalId: output, path: path)
        } else if !foreign.isEmpty {
            report.add(exportNameUnicode, "export name '\(name)' of output '\(output)' contains \(foreign.map { "'\($0)'" }.joined(separator: ", ")); whether CloudFormation counts letters outside ASCII as alphanumeric is not documented, so use ASCII",
                       at: node, logicalId: output, path: path)
        }
    }
}
