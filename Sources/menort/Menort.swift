import ArgumentParser
import CommandSupport

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
        subcommands: [Init.self, Render.self, Validate.self, Params.self, DiffCommand.self, Local.self, Graph.self, Endpoints.self, Rules.self]
    )

    /// Runs the command with menort's exit codes (see `mainWithExitCodes`).
    static func main() {
        mainWithExitCodes()
    }
}
