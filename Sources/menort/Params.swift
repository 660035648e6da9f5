import ArgumentParser
import CommandSupport
import RealtimeStack
import Validation
import YAML

/// `menort params`: template + env files + `--param` → checked values → the overrides a
/// deploy tool reads back exactly.
struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here: otherwise swift-argument-parser derives the name from the type at
        // every run (String(describing:) demangles it), a measurable part of start-up.
        commandName: "params",
        abstract: "Print the deploy's parameter overrides, checked, in the form SAM CLI or the AWS CLI reads back exactly.",
        discussion: """
            Every parameter of the template with its effective value, in the template's \
            order: the template's Default, overridden by the env files in the order given, \
            overridden by --param. The values are checked as `menort validate` checks \
            supplied values (required values, types, AllowedPattern, AllowedValues, lengths, \
            ranges, and the rules of the DynamoDB table names, API Gateway stage names and \
            Lambda timeouts they flow into); any problem stops the run with nothing on stdout.

            The template is --template, else ./template.yaml when present, else what \
            `menort render` would write (./menort.yaml when present, else the built-in realtime \
            stack), so only the table parameters its routes use are asked for. Env files are dotenv (KEY=VALUE, `export`, quotes, # comments); \
            a key names a parameter by its name or its UPPER_SNAKE_CASE form \
            (CHAT_TABLE_NAME → ChatTableName); keys naming no parameter are ignored in files \
            and refused on --param.

            Formats:
              sam        one line for SAM CLI, passed as ONE argument (double quotes):
                         sam deploy --parameter-overrides "$(menort params)"
              json       [{"ParameterKey": …, "ParameterValue": …}] for the AWS CLI:
                         aws cloudformation create-stack --parameters file://…
                         aws cloudformation deploy --parameter-overrides file://…
              samconfig  [default.deploy.parameters] parameter_overrides = [...]
                         for samconfig.toml
              env        KEY=VALUE lines that --env-file reads back exactly

            A value the sam or samconfig format cannot carry (SAM CLI's parser \
            cannot read back, e.g., a value ending in a backslash) is refused for \
            that format, naming the parameter: use --format json. NoEcho values are \
            never shown in messages; they are printed in the overrides (the deploy \
            needs them) with a warning on stderr.

            Examples:
              sam deploy --capabilities CAPABILITY_IAM \\
                --parameter-overrides "$(menort params --env-file .env)"
              menort params --env-file .env --format json > params.json
              aws cloudformation deploy --template-file packaged.yaml \\
                --stack-name meno-realtime --capabilities CAPABILITY_IAM \\
                --parameter-overrides file://params.json
              menort params --env-file .env --param StageName=dev --format samconfig

            Exit codes: 0 the overrides on stdout; 1 the values would fail the deploy or a \
            value cannot be written in the format (every problem on stderr, nothing on \
            stdout); 2 menort could not run (bad usage, a missing or unreadable template or \
            env file).
            """
    )

    @Option(help: ArgumentHelp("The template whose parameters to write.", discussion: "Default: ./template.yaml when present, else what `menort render` would write (./menort.yaml, else the built-in stack).", valueName: "path"))
    var template: String?

    @Option(name: .customLong("env-file"), help: ArgumentHelp("A dotenv file of deploy values (KEY=VALUE; keys by parameter name or UPPER_SNAKE_CASE). Repeatable; later files win.", valueName: "path"))
    var envFiles: [String] = []

    @Option(name: .customLong("param"), help: ArgumentHelp("A value for one parameter. Repeatable; wins over env files.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("Output format: sam, json, samconfig or env.", valueName: "format"))
    var format: OverridesFormat = .sam

    func validate() throws {
        _ = try flagParameters()
    }

    func run() throws {
        let (name, bytes, _) = try Load.template(template)
        let root = try Load.templateRoot(name, bytes)
        let definitions = ParameterDefinition.definitions(in: SourceTemplate(file: name, root: root))
        let supplied = try Load.envFiles(envFiles) + flagParameters()
        let (values, problems) = ParameterValues.resolve(definitions, supplied: supplied)

        var lines = problems.map { problem in
            let prefix = problem.parameter.map { "\($0): " } ?? ""
            return "menort: \(prefix)\(Overrides.visible(problem.message)) [\(problem.rule.id)]"
        }
        var text = ""
        do {
            text = try Overrides.render(values, as: format)
        } catch {
            lines += error.refusals.map { "menort: \($0.parameter): \($0.message)" }
        }
        guard lines.isEmpty else {
            System.writeStandardError(lines.map { $0 + "\n" }.joined())
            throw ExitCode(1)
        }
        System.writeStandardOutput(text)
        let warnings = values.filter(\.noEcho).map {
            "menort: warning: \($0.name) is NoEcho: its value is in the overrides on stdout, as the deploy needs it; keep that output out of logs and out of version control\n"
        }
        if !warnings.isEmpty { System.writeStandardError(warnings.joined()) }
    }

    private func flagParameters() throws -> [SuppliedParameter] {
        try Load.flagParameters(parameters)
    }
}

extension OverridesFormat: ExpressibleByArgument {}
