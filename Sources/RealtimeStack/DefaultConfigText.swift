/// `menort.yaml` as `menort init` writes it: the built-in stack's settings and routes, each
/// key explained in a comment. `templates/realtime/menort.yaml` is this text, byte for byte
/// (a test compares them), and it parses to `StackConfig.default` (another test): when a key
/// is added to the config file, it is documented here once and both follow.
extension StackConfig {
    /// The default config, commented: what `menort init` writes as `menort.yaml`.
    public static let commentedDefaults = """
        # The realtime stack's config: the built-in defaults, written out.
        # `menort render --output template.yaml`, run in this file's folder, renders the stack from it.
        #
        # runtime:       Lambda's Node.js runtime of every handler (deprecated ones are refused).
        # memorySize:    MB for every handler, unless a route says otherwise (128–10240).
        # architecture:  x86_64 or arm64.
        # tags:          extra tags for every resource that takes tags; Service and Stage (from the
        #                ServiceName and StageName parameters) are always set.
        # logRetentionDays: days CloudWatch keeps each function's logs (and the stage's): 1, 3, 5, 7,
        #                14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        #                2922, 3288 or 3653.
        # throttling:    the stage's limits, shared by every client of every route: burst (1–5000)
        #                messages at once, rate (above 0, at most 10000) a second.
        # stageLogging:  the stage's own logs, off by default because API Gateway refuses them until
        #                the account has a CloudWatch role (see the README). access: true writes one
        #                JSON line per connect, message and disconnect; level: OFF, ERROR or INFO.
        # routes:        when present, replaces the default route list. Per route:
        #   handler:     folder under lambda/realtime/ (default: the route key in kebab case).
        #   tables:      connections | chat | presence | sessions → read | write.
        #                read = DynamoDBReadPolicy; write = DynamoDBCrudPolicy (deletes stale connections).
        #   broadcast:   true when the handler posts to connections (execute-api:ManageConnections).
        #   memorySize:  MB for this handler.
        #   timeout:     seconds for this handler (1–29), instead of the LambdaTimeout parameter.
        runtime: nodejs24.x
        memorySize: 256
        architecture: x86_64
        tags: {}
        logRetentionDays: 30
        throttling: { burst: 500, rate: 1000 }
        stageLogging: { access: false, level: OFF }
        routes:
          $connect:
            handler: connect
            tables: { connections: write, sessions: read, presence: write }
            broadcast: false
          $disconnect:
            handler: disconnect
            tables: { connections: write, presence: write }
            broadcast: true
          $default:                     # unmatched actions and non-JSON messages
            handler: default
            broadcast: true
          chat.send:
            handler: chat-send
            tables: { connections: write, chat: write, sessions: read }
            broadcast: true
          presence.update:
            handler: presence-update
            tables: { connections: write, presence: write }
            broadcast: true

        """
}
