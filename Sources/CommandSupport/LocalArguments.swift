import ArgumentParser

/// The arguments of `menort local`, shared by the `menort` command that shows its help and
/// the `menort-local` program that serves: `menort local …` runs `menort-local …`, so the
/// one binary `validate` runs never links SwiftNIO (linking it cost validate 5% more
/// instructions at start-up, in the Swift runtime's conformance lookups; BENCHMARKS.md).
package struct LocalArguments: ParsableArguments {
    /// `--help`'s first line.
    package static let abstract = "Serve the template's WebSocket API locally, running its real Node.js and Python handlers."

    /// `--help`'s text.
    package static let discussion = """
            A local API Gateway for WebSocket APIs (which SAM CLI cannot run): clients connect \
            to ws://HOST:PORT/STAGE; $connect, $disconnect and every route run the function the \
            template wires to them, in warm worker processes (node, python3), with the events \
            API Gateway sends and the function's Environment resolved from --param/--env-file \
            (as `menort params` resolves them). The Management API (POST, GET, DELETE on \
            /STAGE/@connections/ID) is served on the same port, and every environment value \
            naming the API's endpoint (https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}) \
            points at it, so handlers post to clients unchanged.

            DynamoDB is not emulated: handlers reach the endpoint --dynamodb-endpoint names \
            (AWS_ENDPOINT_URL_DYNAMODB), where the template's tables are created when missing: \
            run DynamoDB Local or `moto_server` beside it.

            The template is checked first: `validate`'s errors, missing parameter values and \
            what local cannot serve (an integration that is not AWS_PROXY, a missing code \
            folder, a runtime other than nodejs*/python3.*) stop it before it listens.

            When it listens, it prints the client URL on stdout (one line); connections, \
            invocations (START/END/REPORT) and handler output go to stderr. Edited handler \
            code is used from the next event. Ctrl-C runs $disconnect for every open \
            connection and exits 0.

            Examples:
              menort local --param ChatTableName=chat --param PresenceTableName=presence \\
                --param SessionTableName=sessions --dynamodb-endpoint http://127.0.0.1:8000
              menort local template.yaml --env-file .env --port 4000
              websocat 'ws://127.0.0.1:3001/prod?sessionId=s1'

            Exit codes: 0 stopped by Ctrl-C or SIGTERM; 1 the template has errors or cannot be \
            served (located messages on stderr); 2 menort could not run (bad usage, the port \
            in use, no interpreter, DynamoDB unreachable).
            """

    @Argument(help: ArgumentHelp("The template to serve.", discussion: "Default: ./template.yaml when present, else what `menort render` would write.", valueName: "template"))
    package var template: String?

    @Option(help: ArgumentHelp("The port to listen on (0: any free port).", valueName: "n"))
    package var port: Int = 3001

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "h"))
    package var host: String = "127.0.0.1"

    @Option(name: .customLong("param"), help: ArgumentHelp("A value for one parameter. Repeatable; wins over env files.", valueName: "key=value"))
    package var parameters: [String] = []

    @Option(name: .customLong("env-file"), help: ArgumentHelp("A dotenv file of parameter values, as `menort params` reads it. Repeatable.", valueName: "path"))
    package var envFiles: [String] = []

    @Option(help: ArgumentHelp("AWS_REGION for the handlers and ${AWS::Region} in the template.", valueName: "r"))
    package var region: String = "us-east-1"

    @Option(name: .customLong("dynamodb-endpoint"), help: ArgumentHelp("A local DynamoDB (http://host:port) the handlers use; the template's tables are created there when missing.", valueName: "url"))
    package var dynamoDBEndpoint: String?

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Close a connection after this many seconds without traffic (API Gateway: 600).", valueName: "seconds"))
    package var idleTimeout: Int = 600

    @Option(name: .customLong("max-connection-duration"), help: ArgumentHelp("Close every connection after this many seconds (API Gateway: 7200).", valueName: "seconds"))
    package var maximumDuration: Int = 7200

    @Option(name: .customLong("integration-timeout"), help: ArgumentHelp("Stop waiting for a handler after this many seconds (API Gateway: 29).", valueName: "seconds"))
    package var integrationTimeout: Int = 29

    @Flag(help: "Do not log connections and invocations (handler output is still shown).")
    package var quiet = false

    package func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard idleTimeout > 0, maximumDuration > 0, integrationTimeout > 0 else {
            throw ValidationError("--idle-timeout, --max-connection-duration and --integration-timeout must be positive")
        }
        _ = try Load.flagParameters(parameters)
    }

    package init() {}
}
