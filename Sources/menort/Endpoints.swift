import ArgumentParser
import CommandSupport
import Validation

/// `menort endpoints`: the post-deploy step done for you. API id, region and stage, or the
/// stack's outputs → the WebSocket URL → the lines the web app, the server and the
/// companion app need.
struct Endpoints: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named here: otherwise swift-argument-parser derives the name from the type at
        // every run (String(describing:) demangles it), a measurable part of start-up.
        commandName: "endpoints",
        abstract: "Print the WebSocket URL lines to paste after a deploy.",
        discussion: """
            After a deploy, clients connect to wss://<api-id>.execute-api.<region>.<domain>/<stage> \
            (the WebSocketInvokeUrl output). This prints it as the web app's \
            NEXT_PUBLIC_REALTIME_WEBSOCKET_URL, the server's REALTIME_WEBSOCKET_URL and the \
            companion app's app.json expo.extra.realtimeWsUrl.

            Give the API id and region (and the stage, default prod), or the JSON that \
            `aws cloudformation describe-stacks` prints, as a file or on standard input (-, or \
            nothing when it is piped). \
            The domain follows the region's partition: amazonaws.com (also GovCloud), \
            amazonaws.com.cn in China.

            Examples:
              menort endpoints --api-id a1b2c3d4e5 --region eu-west-1
              aws cloudformation describe-stacks --stack-name "$STACK" | menort endpoints
              menort endpoints stack.json --format json

            Exit codes: 0 printed; 1 a value is wrong (an API id, region or stage API Gateway \
            would not have, JSON that is not describe-stacks output, a stack without the \
            outputs); 2 bad usage, or a file that cannot be read.
            """
    )

    @Argument(help: ArgumentHelp("The JSON of `aws cloudformation describe-stacks`: a file, or - for standard input (read without - too when it is piped and no --api-id is given).", valueName: "describe-stacks-json"),
              completion: .file(extensions: ["json"]))
    var stackJSON: String?

    @Option(name: .customLong("api-id"), help: ArgumentHelp("The WebSocket API's id (10 lowercase letters and digits).", valueName: "id"))
    var apiId: String?

    @Option(help: ArgumentHelp("The region the stack is deployed in, such as eu-west-1.", valueName: "region"))
    var region: String?

    @Option(help: ArgumentHelp("The stage (the StageName parameter).", discussion: "Default: prod.", valueName: "stage"))
    var stage: String?

    @Option(help: ArgumentHelp("Output format.", valueName: "format"))
    var format: EndpointsFormat = .env

    /// The JSON's source: the argument, else standard input when something is piped and no
    /// --api-id/--region say where the API is.
    var input: String? {
        if let stackJSON { return stackJSON }
        if apiId == nil, region == nil, !System.standardInputIsTerminal { return "-" }
        return nil
    }

    func validate() throws {
        if input != nil {
            let given = [("--api-id", apiId), ("--region", region), ("--stage", stage)].filter { $0.1 != nil }.map(\.0)
            if !given.isEmpty {
                throw ValidationError("\(given.joined(separator: ", ")) cannot be used with describe-stacks JSON, whose outputs say where the stack is")
            }
            return
        }
        switch (apiId, region) {
        case (nil, nil):
            throw ValidationError("give --api-id and --region, or the JSON of aws cloudformation describe-stacks (a file, or - for standard input)")
        case (_?, nil):
            throw ValidationError("--api-id needs --region")
        case (nil, _?):
            throw ValidationError("--region needs --api-id")
        case (_?, _?):
            break
        }
    }

    func run() throws {
        let endpoint: RealtimeEndpoint
        do {
            if let input {
                let name = input == "-" ? "<stdin>" : input
                let bytes = try readJSON(input)
                if input == "-", stackJSON == nil, bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                    // Nothing was piped after all (stdin is /dev/null or an empty pipe).
                    throw Failure.cannotRun("give --api-id and --region, or the JSON of aws cloudformation describe-stacks (a file, -, or piped in): standard input is empty")
                }
                endpoint = try RealtimeEndpoint(describeStacks: bytes, file: name)
            } else {
                endpoint = try RealtimeEndpoint(apiId: apiId ?? "", region: region ?? "", stage: stage ?? RealtimeEndpoint.defaultStage)
            }
        } catch let error as EndpointError {
            throw Failure.invalid(error.description)
        }
        System.writeStandardOutput(format == .json ? endpoint.json.serialized() + "\n" : endpoint.envText)
    }

    private func readJSON(_ path: String) throws -> [UInt8] {
        guard path == "-" else { return try Load.bytes(path, what: "describe-stacks JSON") }
        do {
            return try System.readStandardInput()
        } catch {
            throw Failure.cannotRun("cannot read standard input: \(error)")
        }
    }
}

/// What `menort endpoints` prints: dotenv lines with the app.json fragment, or one JSON object.
enum EndpointsFormat: String, CaseIterable, ExpressibleByArgument {
    case env, json
}
