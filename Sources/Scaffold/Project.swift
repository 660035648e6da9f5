import CloudFormation
import Contract
import RealtimeStack
import Validation

/// One file of a new project, its path relative to the project's folder.
public struct ProjectFile: Sendable, Equatable {
    /// Where it goes, relative to the project folder (`lambda/realtime/connect/index.mjs`).
    public let path: String
    /// Its bytes.
    public let contents: [UInt8]
    /// What it is, in a few words, for the list `menort init` prints.
    public let role: String

    /// Creates a file.
    public init(path: String, contents: [UInt8], role: String) {
        self.path = path
        self.contents = contents
        self.role = role
    }
}

/// Why a project cannot be written.
public enum ProjectError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The config does not make a template.
    case stack(StackError)
    /// A parameter's default cannot be written in `.env.example`.
    case envFile([OverridesRefusal])

    /// One sentence for a person.
    public var description: String {
        switch self {
        case .stack(let error): return error.description
        case .envFile(let refusals): return refusals.map { "\($0.parameter): \($0.message)" }.joined(separator: "; ")
        }
    }
}

/// What `menort init` writes: the config, the template `menort render` writes for it, the
/// deploy parameters, and a working Node.js handler (with its `aws.mjs`) for every route.
public enum Project {
    /// The config file's name in the project.
    public static let configFile = "menort.yaml"
    /// The template's name in the project (where `validate`, `params` and `local` look first).
    public static let templateFile = "template.yaml"

    /// The files of a project for `config`, whose own text (`configText`, written as
    /// `menort.yaml`) is the commented defaults or the file it was read from.
    public static func files(config: StackConfig, configText: [UInt8]) throws(ProjectError) -> [ProjectFile] {
        let template: Template
        let rendered: String
        do {
            template = try config.template()
            rendered = try config.render()
        } catch {
            throw .stack(error)
        }
        let environment: String
        do {
            environment = try EnvExample.text(parameters: template.parameters)
        } catch {
            throw .envFile(error.refusals)
        }
        var files = [
            ProjectFile(path: configFile, contents: configText, role: "the stack's config"),
            ProjectFile(path: templateFile, contents: Array(rendered.utf8), role: "what `menort render` writes for it"),
            ProjectFile(path: EnvExample.fileName, contents: Array(environment.utf8), role: "the deploy parameters, for .env"),
        ]
        for route in config.routes {
            let folder = RealtimeContract.codeURI(handler: route.handler)
            let scaffold = HandlerScaffold(route: route, environment: FunctionEnvironment.variables(codeURI: folder, in: template))
            files.append(ProjectFile(path: folder + HandlerScaffold.fileName, contents: Array(scaffold.text.utf8),
                                     role: "the \(route.key) handler"))
            files.append(ProjectFile(path: folder + HandlerHelper.fileName, contents: Array(HandlerHelper.text.utf8),
                                     role: "its DynamoDB and @connections calls"))
        }
        return files
    }
}

/// The environment variables a template gives one function, read from the model the builder
/// made (so the names are the builder's, never spelled a second time).
public enum FunctionEnvironment {
    /// `Globals.Function.Environment.Variables`, then the function's own, for the
    /// `AWS::Serverless::Function` whose `CodeUri` is `codeURI`; each name once.
    public static func variables(codeURI: String, in template: Template) -> [String] {
        let global = Value.map(template.globals)["Function"]?["Environment"]?["Variables"]?.fields ?? []
        let function = template.resources.first {
            $0.type == "AWS::Serverless::Function" && Value.map($0.properties)["CodeUri"] == .string(codeURI)
        }
        let own = function.flatMap { Value.map($0.properties)["Environment"]?["Variables"]?.fields } ?? []
        var names: [String] = []
        for field in global + own where !names.contains(field.key) { names.append(field.key) }
        return names
    }
}
