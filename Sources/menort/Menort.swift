import ArgumentParser
import YAML

/// The command line: one small command per pipeline, nothing else.
@main
struct Menort: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "menort",
        abstract: "Owns the infrastructure-as-code of the Meno realtime stack.",
        discussion: """
            The stack: an API Gateway WebSocket API routing on request.body.action, one Lambda \
            per realtime action (code under lambda/realtime/<handler>/), a DynamoDB connections \
            table, and IAM policies on the existing chat, presence and session tables.

            Exit codes: 0 success; 1 the input is wrong or out of date (a located message says \
            why); 2 menort could not run (bad usage, a missing or unreadable file).
            """,
        version: MenortVersion.text,
        subcommands: [Render.self, Validate.self, Params.self, Local.self, Graph.self, Endpoints.self, Rules.self]
    )

    /// Runs the command, mapping usage errors to exit 2 as the README documents
    /// (ArgumentParser's own default is 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as Failure {
            handle(failure)
        } catch {
            if exitCode(for: error) == .validationFailure {
                System.writeStandardError(fullMessage(for: error) + "\n")
                System.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// What `--version` prints.
enum MenortVersion {
    static let number = "0.1.0"
    static var text: String { "menort \(number) (libyaml \(LibYAML.version))" }
}
