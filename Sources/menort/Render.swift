import ArgumentParser
import CommandSupport
import RealtimeStack

/// `menort render`: menort.yaml → StackConfig → Template → template.yaml.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here: otherwise swift-argument-parser derives the name from the type at
        // every run (String(describing:) demangles it), a measurable part of start-up.
        commandName: "render",
        abstract: "Render the realtime stack's template.yaml.",
        discussion: """
            Reads the stack's config from --config, else ./menort.yaml when it exists, else uses \
            the built-in stack ($connect, $disconnect, $default, chat.send, presence.update). \
            The output is the same, byte for byte, every time for the same config.

            Examples:
              menort render                                  # template on stdout
              menort render --output template.yaml           # written atomically
              menort render --check template.yaml            # exit 1 and a diff when stale

            Exit codes: 0 rendered (or up to date); 1 bad config, or --check found a \
            difference; 2 a file could not be read or written, or bad usage.
            """
    )

    @Option(help: ArgumentHelp("The stack's config file.", discussion: "Default: ./menort.yaml when present, else the built-in stack.", valueName: "path"))
    var config: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Write the template here instead of stdout (temporary file + rename: never a half-written file).", valueName: "path"))
    var output: String?

    @Option(help: ArgumentHelp("Compare with this file instead of writing: exit 0 when it holds exactly what render would write, else 1 with a short diff.", valueName: "path"))
    var check: String?

    func validate() throws {
        if output != nil, check != nil {
            throw ValidationError("--output and --check cannot be used together: --check never writes")
        }
    }

    func run() throws {
        let stack = try Load.config(config)
        let text: String
        do {
            text = try stack.render()
        } catch {
            throw Failure.invalid("\(Load.configName(config)): error: \(error)")
        }
        if let check {
            let current = try Load.bytes(check, what: "template")
            if current == Array(text.utf8) { return }
            let diff = LineDiff(old: String(decoding: current, as: UTF8.self), new: text, oldName: check, newName: "menort render")
            System.writeStandardOutput(diff.render(maxLines: 40))
            throw Failure.invalid("\(check) is out of date: run `menort render --output \(check)`")
        }
        if let output {
            do {
                try AtomicFile.write(Array(text.utf8), to: output)
            } catch {
                throw Failure.cannotRun("cannot write \(output): \(error)")
            }
            return
        }
        System.writeStandardOutput(text)
    }
}
