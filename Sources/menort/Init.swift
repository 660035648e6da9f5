import ArgumentParser
import CommandSupport
import Contract
import RealtimeStack
import Scaffold

/// `menort init`: a new realtime stack project, ready for `validate`, `local` and a deploy.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here: otherwise swift-argument-parser derives the name from the type at
        // every run (String(describing:) demangles it), a measurable part of start-up.
        commandName: "init",
        abstract: "Start a realtime stack project: menort.yaml, a working Node.js handler per route, .env.example and template.yaml.",
        discussion: """
            Writes into DIR (default: the current folder; created when missing):
              menort.yaml       the stack's config: the built-in defaults, each key
                                explained in a comment (or a copy of --config)
              template.yaml     exactly what `menort render` writes for it
              .env.example      the deploy parameters as --env-file reads them:
                                required ones empty, defaults commented
              lambda/realtime/<handler>/index.mjs and aws.mjs
                                for every route, the handler and its AWS calls
                                (SigV4 signing, DynamoDB, @connections)

            Each handler is a small, working example of its route's contract: it reads and \
            writes only the tables the route lists, posts to @connections only when the route \
            broadcasts, and reads only the environment variables the template gives its \
            function; its first lines say what it does and which keys it assumes for your \
            team's chat, presence and sessions tables. Node.js standard library only (no npm, \
            no AWS SDK), ES modules, Node 20 or later.

            Nothing is overwritten: when any of the files exists, init names each one and \
            writes nothing, unless --force. A handler folder that already holds index.js or \
            index.cjs is refused even with --force: Lambda would load that file, never the \
            index.mjs init writes. Every file is written atomically.

            Example:
              menort init realtime && cd realtime
              menort validate --strict
              cp .env.example .env                       # fill in the table names
              menort local --env-file .env --dynamodb-endpoint http://127.0.0.1:8000
              sam build && sam deploy --guided --capabilities CAPABILITY_IAM \\
                --parameter-overrides "$(menort params --env-file .env)"

            Exit codes: 0 written; 1 a file exists (without --force) or the --config file is \
            wrong; 2 menort could not run (a folder or file that cannot be written, a --config \
            that cannot be read, bad usage).
            """
    )

    @Argument(help: ArgumentHelp("The project folder; created, with its parents, when missing.", valueName: "dir"))
    var directory: String = "."

    @Flag(help: "Overwrite files that exist.")
    var force = false

    @Option(help: ArgumentHelp("Start from this menort.yaml instead of the built-in defaults: it is copied as the project's menort.yaml, and the template and handlers follow its routes.", valueName: "path"))
    var config: String?

    func run() throws {
        let stack: StackConfig
        let configText: [UInt8]
        if let config {
            (stack, configText) = try Load.configFile(config)
        } else {
            (stack, configText) = (.default, Array(StackConfig.commentedDefaults.utf8))
        }
        var files: [ProjectFile]
        do {
            files = try Project.files(config: stack, configText: configText)
        } catch {
            throw Failure.invalid("\(config ?? "built-in stack"): error: \(error)")
        }

        let folder = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        if case .file = System.entry(folder) {
            throw Failure.cannotRun("cannot create the project in \(folder): it is a file, not a folder")
        }
        func target(_ file: ProjectFile) -> String { folder == "." ? file.path : "\(folder)/\(file.path)" }

        // The --config file itself, when it is the menort.yaml init would write: kept as it is.
        var kept: ProjectFile?
        if let config, let source = System.canonicalPath(config),
           let index = files.firstIndex(where: { $0.path == Project.configFile }),
           System.canonicalPath(target(files[index])) == source {
            kept = files.remove(at: index)
        }

        // Lambda (and menort local) load index.js and index.cjs before index.mjs: a handler
        // written beside one would never run, and --force overwrites, it does not delete.
        let shadows = files.filter { $0.path.hasSuffix("/index.mjs") }.flatMap { file in
            ["index.js", "index.cjs"].map { System.folder(of: target(file)) + "/" + $0 }.filter(System.exists)
        }
        if !shadows.isEmpty {
            System.writeStandardError(shadows.map {
                "menort: \($0): error: Lambda loads it before the index.mjs init writes beside it; move it away first\n"
            }.joined())
            throw ExitCode(1)
        }

        let existing = files.filter { System.exists(target($0)) }
        if !existing.isEmpty, !force {
            System.writeStandardError(existing.map { "menort: \(target($0)): error: exists; pass --force to overwrite\n" }.joined())
            throw ExitCode(1)
        }

        var folders: [String] = []
        for file in files {
            let parent = System.folder(of: target(file))
            if !folders.contains(parent) { folders.append(parent) }
        }
        for parent in folders {
            do {
                try System.makeDirectories(parent)
            } catch {
                throw Failure.cannotRun("cannot create the folder \(parent): \(error)")
            }
        }
        for file in files {
            do {
                try AtomicFile.write(file.contents, to: target(file))
            } catch {
                throw Failure.cannotRun("cannot write \(target(file)): \(error)")
            }
        }
        System.writeStandardOutput(report(files, kept: kept, overwritten: existing, folder: folder, stack: stack))
    }

    /// The files written and what to run next.
    private func report(_ files: [ProjectFile], kept: ProjectFile?, overwritten: [ProjectFile], folder: String, stack: StackConfig) -> String {
        var rows = files.map { file in
            (file.path, file.role + (overwritten.contains(file) ? " (overwritten)" : ""))
        }
        if let kept { rows.insert((kept.path, "the stack's config (--config, kept as it is)"), at: 0) }
        let width = rows.map(\.0.count).max() ?? 0
        var text = "Wrote \(files.count) file\(files.count == 1 ? "" : "s") in \(folder == "." ? "the current folder" : folder):\n"
        for (path, role) in rows {
            text += "  \(path)\(String(repeating: " ", count: width - path.count + 2))\(role)\n"
        }
        let teamTables = stack.contract.tablesInUse.filter { $0 != .connections }.map(\.rawValue)
        text += "\nNext:\n"
        if folder != "." { text += "  cd \(shellWord(folder))\n" }
        text += """
              menort validate --strict           # the template: no findings
              cp .env.example .env               # fill in the table names
              menort local --env-file .env --dynamodb-endpoint http://127.0.0.1:8000

            """
        if !teamTables.isEmpty {
            let list = teamTables.count == 1 ? teamTables[0] : teamTables.dropLast().joined(separator: ", ") + " and " + teamTables.last!
            text += "      # first create the \(list) table\(teamTables.count == 1 ? "" : "s") there, keyed as the handlers' first lines say\n"
        }
        if stack.contract.route(RouteKey.connect.rawValue)?.tables[.sessions] != nil {
            text += "      # $connect admits ?sessionId=… only when the sessions table holds that session\n"
        }
        text += """
              sam build && sam deploy --guided --capabilities CAPABILITY_IAM \\
                --parameter-overrides "$(menort params --env-file .env)"

            """
        return text
    }

    /// `path` as one shell word: bare when it is plain, else single-quoted.
    private func shellWord(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "/._-+,:@".unicodeScalars.contains($0)) }
        return plain ? path : "'" + path.replacing("'", with: "'\\''") + "'"
    }
}
