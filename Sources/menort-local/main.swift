import ArgumentParser
import CommandSupport
import Local
import LocalServer
import Validation
import YAML

/// `menort local`'s server: the program `menort local` runs (see `LocalArguments`). It
/// checks the template as `validate` does, reads what to serve, and serves it until Ctrl-C.
@main
struct MenortLocal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "menort local",
        abstract: LocalArguments.abstract,
        discussion: LocalArguments.discussion,
        version: MenortVersion.text
    )

    @OptionGroup var arguments: LocalArguments

    /// Runs with menort's exit codes.
    static func main() {
        mainWithExitCodes()
    }

    func run() throws {
        let (name, bytes, directory) = try Load.template(arguments.template)
        let root = try Load.templateRoot(name, bytes)
        let supplied = try Load.envFiles(arguments.envFiles) + Load.flagParameters(arguments.parameters)

        // What `validate` would stop a deploy for stops the local run too.
        var validator = Validator(today: Load.today(), fileExists: { System.exists($0) })
        validator.supplied = supplied
        let errors = validator.validate(file: name, bytes: bytes, directory: directory).filter { $0.severity == .error }
        if !errors.isEmpty {
            let formatter = DiagnosticFormatter(format: .text, color: false, toolVersion: MenortVersion.number)
            System.writeStandardError(formatter.render(errors, files: 1))
            throw ExitCode(1)
        }
        let source = SourceTemplate(file: name, root: root)
        let (values, problems) = ParameterValues.resolve(ParameterDefinition.definitions(in: source), supplied: supplied)
        if !problems.isEmpty {
            System.writeStandardError(problems.map { "menort: \($0.parameter.map { "\($0): " } ?? "")\($0.message) [\($0.rule.id)]\n" }.joined())
            throw ExitCode(1)
        }

        var options = LocalOptions()
        options.host = arguments.host
        options.port = arguments.port
        options.region = arguments.region
        options.dynamoDBEndpoint = arguments.dynamoDBEndpoint
        options.environment = System.environmentVariables()
        options.limits.idleTimeout = .seconds(Int64(arguments.idleTimeout))
        options.limits.maximumDuration = .seconds(Int64(arguments.maximumDuration))
        options.limits.integrationTimeout = .seconds(Int64(arguments.integrationTimeout))
        options.logging = !arguments.quiet
        do {
            let server = try BoundServer.bind(options)
            let settings = LocalSettings(
                templateDirectory: System.absolute(directory), region: arguments.region,
                authority: server.authority,
                parameters: Dictionary(values.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
            )
            let plan: LocalPlan
            switch LocalPlan.read(source, settings: settings) {
            case .success(let read): plan = read
            case .failure(let refusals):
                System.writeStandardError(refusals.refusals.map { "\($0)\n" }.joined())
                throw ExitCode(1)
            }
            try server.serve(plan) { url in System.writeStandardOutput(url + "\n") }
        } catch let failure as LocalServerFailure {
            throw Failure.cannotRun(failure.description)
        }
    }
}
