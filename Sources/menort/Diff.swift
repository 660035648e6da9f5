import ArgumentParser
import CommandSupport
import Diff
import Validation
import YAML

/// `menort diff`: what deploying NEW over OLD will replace, destroy and rename.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Say what a deploy will replace, what data it will destroy, and whether the WebSocket URL changes.",
        discussion: """
            Compares OLD, what is deployed, with NEW, what the deploy sends, offline: for every \
            resource whether it is added, removed, updated or replaced, and why — the property \
            that forces replacement (the provider schemas' createOnlyProperties and \
            conditionalCreateOnlyProperties, with CloudFormation's documentation where it says \
            more), a changed Type (refused), or a replaced resource it refers to. Removed or \
            replaced tables, buckets and log groups are data loss unless DeletionPolicy or \
            UpdateReplacePolicy keeps them. A replaced or removed WebSocket API, a renamed stage or a \
            changed WebSocketInvokeUrl output changes the URL in the three settings that hold it.

            OLD is a template (YAML or JSON), or what `aws cloudformation get-template \
            --stack-name NAME` prints (TemplateBody as a string or an object), from a file or \
            `-` for stdin. NEW is a template; without it, what `menort render` would write now. \
            Parameters take the values the deploy would give them: each template's Default, \
            overridden by --env-file and --param (as `menort params` reads them), so a changed \
            Default shows as the changes it makes.

            Examples:
              menort diff deployed.yaml template.yaml
              aws cloudformation get-template --stack-name meno-realtime > deployed.json
              menort diff deployed.json --fail-on data-loss
              menort diff deployed.json template.yaml --format markdown > diff.md

            Exit codes: 0 the diff is printed (and nothing matches --fail-on); 1 a change \
            matches --fail-on (replace: a replacement, certain or possible; data-loss; \
            endpoint; any: any change, a refused one included); 2 menort could not run (a \
            template missing or unreadable, bad usage).
            """
    )

    @Argument(help: ArgumentHelp("What is deployed: a template, or `aws cloudformation get-template` output; - for stdin.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("What the deploy sends. Default: what `menort render` would write now.", valueName: "new"))
    var new: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A value for one parameter, used for both templates. Repeatable.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(name: .customLong("env-file"), help: ArgumentHelp("A dotenv file of parameter values, as `menort params` reads it. Repeatable.", valueName: "path"))
    var envFiles: [String] = []

    @Option(help: ArgumentHelp("Output format.", valueName: "format"))
    var format: DiffFormat = .text

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit 1 when a change of this class is found.", valueName: "class"))
    var failOn: FailOn?

    @Option(help: ArgumentHelp("The stack's region: the new URL is written for it, and conditions on AWS::Region are decided.", valueName: "r"))
    var region: String?

    func validate() throws {
        if old == "-", new == "-" { throw ValidationError("standard input (-) can be read only once") }
        _ = try Load.flagParameters(parameters)
    }

    func run() throws {
        let (oldName, oldRoot) = try DiffCommand.read(old)
        let newName: String
        let newRoot: Node
        if let new {
            (newName, newRoot) = try DiffCommand.read(new)
        } else {
            (newName, newRoot) = try DiffCommand.rendered()
        }
        let supplied = try Load.envFiles(envFiles) + Load.flagParameters(parameters)
        let oldTemplate = SourceTemplate(file: oldName, root: oldRoot)
        let newTemplate = SourceTemplate(file: newName, root: newRoot)
        if oldTemplate.isSAM != newTemplate.isSAM {
            // get-template --template-stage Processed is SAM's output: every SAM resource would
            // look removed and its generated resources added.
            let processed = oldTemplate.isSAM ? newName : oldName
            System.writeStandardError("menort: warning: \(processed) is not a SAM template and the other is (the output of the SAM transform, such as get-template --template-stage Processed?): compare the Original stage with the template you deploy\n")
        }
        try DiffCommand.checkNames(supplied, oldTemplate, newTemplate)
        let diff = TemplateDiff.compare(
            old: oldTemplate,
            new: newTemplate,
            settings: DiffSettings(supplied: supplied, region: region)
        )
        System.writeStandardOutput(diff.render(format, old: oldName, new: newName))
        if let failOn, DiffCommand.matches(diff, failOn) { throw ExitCode(1) }
    }

    static func matches(_ diff: TemplateDiff, _ failOn: FailOn) -> Bool {
        switch failOn {
        case .replace: return diff.resources.contains { $0.action == .replace || $0.action == .refused || $0.mayReplace }
        case .dataLoss: return diff.resources.contains { $0.dataLoss?.destroyed == true }
        case .endpoint: return !diff.endpointChanges.isEmpty
        case .any: return !diff.isEmpty
        }
    }

    /// What `menort render` would write now: from `./menort.yaml`, else the built-in stack.
    /// Not `./template.yaml`, which is what was rendered once and may be stale.
    static func rendered() throws -> (String, Node) {
        let name = System.exists(Load.defaultConfig) ? "stack of \(Load.defaultConfig)" : "built-in stack"
        let text: String
        do {
            text = try Load.config(nil).render()
        } catch let failure as Failure {
            // A config that cannot be read is a diff that cannot run (exit 2), not a finding.
            throw Failure.cannotRun(failure.description)
        } catch {
            throw Failure.cannotRun("cannot render the \(name): \(error)")
        }
        return (name, try template(name, Array(text.utf8)))
    }

    /// A `--param` must name a parameter of one template or the other (by its name or its
    /// UPPER_SNAKE_CASE form), as `validate` and `params` require: a misspelt key would
    /// otherwise leave both templates at their defaults and the diff silently wrong.
    static func checkNames(_ supplied: [SuppliedParameter], _ templates: SourceTemplate...) throws {
        for entry in supplied where entry.origin == .flag {
            let problems = templates.map { template in
                ParameterValues.resolve(ParameterDefinition.definitions(in: template), supplied: [entry]).problems
                    .filter { $0.rule.id == "params-unknown-name" }
            }
            if let problem = problems.last?.first, problems.allSatisfy({ !$0.isEmpty }) {
                throw Failure.cannotRun(problem.message)
            }
        }
    }

    /// A template file or `-`.
    static func read(_ path: String) throws -> (String, Node) {
        if path == "-" {
            let bytes: [UInt8]
            do { bytes = try System.readStandardInput() } catch { throw Failure.cannotRun("cannot read standard input: \(error)") }
            return ("<stdin>", try template("<stdin>", bytes))
        }
        return (path, try template(path, try Load.bytes(path, what: "template")))
    }

    /// The template in `bytes`: a template, or `get-template` output whose `TemplateBody`
    /// is the template as a string (YAML or JSON) or as an object.
    static func template(_ name: String, _ bytes: [UInt8]) throws -> Node {
        let root = try Load.templateRoot(name, bytes)
        guard let body = root["TemplateBody"] else { return root }
        if body.pairs != nil { return body }
        if let text = body.scalar {
            return try Load.templateRoot("\(name) (TemplateBody)", Array(text.utf8))
        }
        throw Failure.cannotRun("cannot read template \(name): TemplateBody is neither a template nor a string holding one")
    }
}

extension DiffFormat: ExpressibleByArgument {}

/// The classes of change `--fail-on` stops a pipeline for.
enum FailOn: String, CaseIterable, ExpressibleByArgument {
    case replace
    case dataLoss = "data-loss"
    case endpoint
    case any
}
