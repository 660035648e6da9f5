import ArgumentParser
import CommandSupport
import Validation

/// `menort graph`: template → WebSocket model → routes, functions, tables, @connections →
/// Mermaid or DOT.
struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here: otherwise swift-argument-parser derives the name from the type at
        // every run (String(describing:) demangles it), a measurable part of start-up.
        commandName: "graph",
        abstract: "Draw the stack: routes → functions → tables and @connections.",
        discussion: """
            Reads any template validate reads (YAML or JSON) and draws which route invokes \
            which function, and what each function may do: read or write a DynamoDB table, \
            post to the API's @connections. Access is read from the IAM policies the way the \
            stack rules read it; access menort cannot resolve (a role given as a parameter, a \
            customer managed policy) draws no edge.

            Mermaid (the default) renders in GitHub Markdown inside a ```mermaid block; DOT \
            is for Graphviz.

            Examples:
              menort graph                                       # ./template.yaml, Mermaid
              menort graph --format dot | dot -Tsvg > stack.svg  # Graphviz
              menort render | menort graph -                     # the rendered stack

            Exit codes: 0 drawn; 1 the template is not readable YAML (the findings on \
            stderr); 2 bad usage, or a missing or unreadable file.
            """
    )

    @Argument(help: ArgumentHelp("The template; `-` reads standard input.", discussion: "Default: ./template.yaml.", valueName: "template"),
              completion: .file(extensions: ["yaml", "yml", "json", "template"]))
    var template: String?

    @Option(help: ArgumentHelp("Output format.", valueName: "format"))
    var format: GraphFormat = .mermaid


    func run() throws {
        let path = template ?? "template.yaml"
        let name: String
        let bytes: [UInt8]
        if path == "-" {
            name = "<stdin>"
            do {
                bytes = try System.readStandardInput()
            } catch {
                throw Failure.cannotRun("cannot read standard input: \(error)")
            }
        } else {
            name = path
            bytes = try Load.bytes(path, what: "template")
        }
        let graph: StackGraph
        do {
            graph = try StackGraph(file: name, bytes: bytes)
        } catch {
            // The yaml family's findings, as validate prints them: nothing to draw.
            System.writeStandardError(error.diagnostics.map { "menort: \($0)\n" }.joined())
            throw ExitCode(1)
        }
        System.writeStandardOutput(graph.rendered(as: format))
    }
}

extension GraphFormat: ExpressibleByArgument {}
