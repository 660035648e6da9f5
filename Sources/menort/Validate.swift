import ArgumentParser
import CommandSupport
import Validation

/// `menort validate`: template.yaml → parser → rules → text | json | sarif.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here: otherwise swift-argument-parser derives the name from the type at
        // every run (String(describing:) demangles it), a measurable part of start-up.
        commandName: "validate",
        abstract: "Catch before deploy what CloudFormation, API Gateway and Lambda would fail on.",
        discussion: """
            Checks CloudFormation and SAM templates (YAML or JSON): the YAML itself, the \
            template grammar and resource types, references, parameters and the values a \
            deploy would supply, the API Gateway WebSocket wiring, and the Meno realtime \
            stack's contract. Every finding names the file, line, column and logical id.

            Families (--rules): yaml, template, refs, params, websocket, stack. \
            `menort validate --explain RULE` explains a rule and its fix. A resource's \
            `Metadata: {menort: {ignore: [RULE]}}` (or the template's top-level Metadata) \
            silences a rule there. A file that is not a template at all (unparsable, not a \
            mapping) is an error whatever --rules and --ignore say.

            The stack family runs only on templates that declare the realtime contract in \
            their top-level Metadata: `menort render` writes `menort: {stack: realtime, \
            routes: …}` there; a hand-written template opts in to the default contract with \
            `Metadata: {menort: {stack: realtime}}`.

            Examples:
              menort validate                                 # ./template.yaml
              menort render | menort validate --strict -      # the rendered stack
              menort validate template.yaml --env-file .env --param StageName=dev
              menort validate --format sarif > menort.sarif   # GitHub code scanning

            Exit codes: 0 no errors (with --strict: no warnings either); 1 findings at that \
            level; 2 menort could not run (bad usage, a missing or unreadable file).
            """
    )

    @Argument(help: ArgumentHelp("Templates to check; `-` reads standard input.", discussion: "Default: ./template.yaml.", valueName: "template"))
    var templates: [String] = []

    @Option(name: .customLong("param"), help: ArgumentHelp("A value a deploy would supply; checked as CloudFormation checks it. Repeatable; wins over env files.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(name: .customLong("env-file"), help: ArgumentHelp("A dotenv file of deploy values (KEY=VALUE; keys by parameter name or UPPER_SNAKE_CASE). Repeatable; later files win.", valueName: "path"))
    var envFiles: [String] = []

    @Option(help: ArgumentHelp("Output format.", valueName: "format"))
    var format: OutputFormat = .text

    @Flag(help: "Fail (exit 1) on warnings too.")
    var strict = false

    @Option(help: ArgumentHelp("Only these rule families, comma-separated.", valueName: "families"))
    var rules: String?

    @Option(help: ArgumentHelp("Drop these rule ids, comma-separated.", valueName: "rules"))
    var ignore: String?

    @Option(help: ArgumentHelp("Print what a rule checks and how to fix its findings, then exit.", valueName: "rule"))
    var explain: String?

    func validate() throws {
        _ = try selectedFamilies()
        _ = try ignoredRules()
        _ = try flagParameters()
        if templates.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input (-) can be read only once")
        }
    }

    func run() throws {
        if let explain {
            guard let rule = Validator.rule(explain) else {
                throw Failure.cannotRun("unknown rule '\(explain)'\(Suggestion.closest(to: explain, in: Validator.allRules.map(\.id)).map { "; did you mean '\($0)'?" } ?? "")")
            }
            System.writeStandardOutput(RuleText.explanation(rule) + "\n")
            return
        }

        let paths = templates.isEmpty ? ["template.yaml"] : templates
        // Read everything first: a missing file is exit 2 before any report is printed.
        var inputs: [(name: String, bytes: [UInt8], directory: String)] = []
        for path in paths {
            if path == "-" {
                do {
                    inputs.append(("<stdin>", try System.readStandardInput(), System.currentDirectory))
                } catch {
                    throw Failure.cannotRun("cannot read standard input: \(error)")
                }
            } else {
                inputs.append((path, try Load.bytes(path, what: "template"), System.folder(of: path)))
            }
        }

        var validator = Validator(today: Load.today(), fileExists: { System.exists($0) })
        validator.families = try selectedFamilies()
        validator.ignored = try ignoredRules()
        validator.supplied = try suppliedParameters()

        var diagnostics: [Diagnostic] = []
        for input in inputs {
            diagnostics += validator.validate(file: input.name, bytes: input.bytes, directory: input.directory)
        }
        let outputFormat = format
        let color = outputFormat == .text && System.standardOutputIsTerminal && System.environment("NO_COLOR") == nil
        let formatter = DiagnosticFormatter(format: outputFormat, color: color, toolVersion: MenortVersion.number)
        System.writeStandardOutput(formatter.render(diagnostics, files: inputs.count))

        let failing = diagnostics.contains { $0.severity == .error || (strict && $0.severity == .warning) }
        if failing { throw ExitCode(1) }
    }

    private func selectedFamilies() throws -> Set<Family> {
        guard let rules else { return Set(Family.allCases) }
        var families = Set<Family>()
        for name in rules.split(separator: ",").map(trimmed) where !name.isEmpty {
            guard let family = Family(rawValue: name) else {
                throw ValidationError("unknown rule family '\(name)': use \(Family.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            families.insert(family)
        }
        return families
    }

    private func ignoredRules() throws -> Set<String> {
        guard let ignore else { return [] }
        var ids = Set<String>()
        for id in ignore.split(separator: ",").map(trimmed) where !id.isEmpty {
            guard Validator.rule(id) != nil else {
                let hint = Suggestion.closest(to: id, in: Validator.allRules.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
                throw ValidationError("unknown rule '\(id)' in --ignore\(hint)")
            }
            ids.insert(id)
        }
        return ids
    }

    private func flagParameters() throws -> [SuppliedParameter] {
        try Load.flagParameters(parameters)
    }

    /// Env files in order, then `--param`: later entries win, as the deploy would see them.
    private func suppliedParameters() throws -> [SuppliedParameter]? {
        if envFiles.isEmpty && parameters.isEmpty { return nil }
        return try Load.envFiles(envFiles) + flagParameters()
    }
}

/// `s` without leading and trailing spaces and tabs.
func trimmed<S: StringProtocol>(_ s: S) -> String {
    var slice = Substring(s)
    while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
    return String(slice)
}

/// The words `--explain` prints for a rule.
enum RuleText {
    static func explanation(_ rule: Rule) -> String {
        """
        \(rule.id) (\(rule.family.rawValue), \(rule.severity.rawValue))
        \(rule.title)

        \(rule.explanation)
        """
    }
}

/// "Did you mean": the closest candidate by edit distance, when it is close enough.
enum Suggestion {
    static func closest(to word: String, in candidates: [String]) -> String? {
        var best: (String, Int)?
        for candidate in candidates {
            let distance = EditDistance.between(word.lowercased(), candidate.lowercased())
            if distance <= max(2, word.count / 3), distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }
}

extension OutputFormat: ExpressibleByArgument {}
