import Contract

/// The Node.js handler `menort init` writes for one route: `index.mjs`, exporting the
/// `handler` the template names (`Handler: index.handler`).
///
/// It is written from the route's contract, so it does what the template lets the function
/// do and nothing more: it reads and writes only the tables its route lists (writes only
/// where the access is `write`), posts to `@connections` only when the route broadcasts,
/// and reads only the environment variables the template gives the function. `$connect`,
/// `$disconnect` and `$default` do their lifecycle work; every other route is one generic
/// handler whose steps follow its tables.
public struct HandlerScaffold: Sendable, Equatable {
    /// The handler's file name: Lambda resolves `index.handler` to `index.mjs` (an ES module).
    public static let fileName = "index.mjs"

    /// The keys the handlers assume for the team's own tables, whose key schemas menort does not
    /// know (the template only takes their names). Each handler that uses one says so at its top.
    public static let assumedKeys: [(table: Table, keys: [String])] = [
        (.chat, ["sessionId", "messageId"]),
        (.presence, ["sessionId", "connectionId"]),
        (.sessions, ["sessionId"]),
    ]

    /// How long a connection's row lives when its `$disconnect` never runs: API Gateway's
    /// maximum connection duration (2 hours), after which the table's TTL removes it.
    public static let connectionTTLSeconds = 2 * 60 * 60

    /// The route the handler serves.
    public let route: Route
    /// The environment variables the template gives the function, in the template's order.
    public let environment: [String]

    /// Creates the scaffold of `route`, whose function the template gives `environment`.
    public init(route: Route, environment: [String]) {
        self.route = route
        self.environment = environment
    }

    /// The text of `index.mjs`.
    public var text: String {
        var code = HandlerCode(route: route)
        switch route.key {
        case .connect: code.connect()
        case .disconnect: code.disconnect()
        case .default: code.defaultRoute()
        default: code.message()
        }
        return header(code) + code.module()
    }

    // MARK: The header

    private func header(_ code: HandlerCode) -> String {
        var lines = comment("\(route.key): the route's handler, written by `menort init` from its contract in menort.yaml (\(contractSummary)). A small, working starting point: make it yours (`menort init --force` would overwrite it).")
        lines += ["//", "// What it does:"]
        var summary = code.summary
        let unused = route.orderedTables.filter { !code.tablesUsed.contains($0.0) }
        if !unused.isEmpty {
            let list = unused.map { "the \($0.0.rawValue) table (\($0.1.rawValue))" }.joined(separator: ", ")
            summary.append("Its route may also use \(list); this example does not.")
        }
        for item in summary { lines += comment(item, first: "//   - ", rest: "//     ") }
        lines.append("//")
        lines += comment("The event fields it reads: \(code.eventFields.joined(separator: ", ")).")
        lines.append("//")
        let lambda = "AWS_REGION and the role's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, with which aws.mjs signs."
        if environment.isEmpty {
            lines += comment("The template gives this function no environment variables of its own; it reads what Lambda sets: \(lambda)")
        } else {
            lines.append("// The environment the template gives this function:")
            let width = environment.map(\.count).max() ?? 0
            for name in environment {
                let description = describe(name)
                lines.append("//   " + (description.isEmpty ? name : name + String(repeating: " ", count: width - name.count + 2) + description))
            }
            lines += comment("and what Lambda sets: \(lambda)")
        }
        let assumed = HandlerScaffold.assumedKeys.filter { code.tablesUsed.contains($0.table) }
        if !assumed.isEmpty {
            let names = assumed.map(\.table.rawValue)
            let tables = names.count == 1
                ? "The \(names[0]) table is your team's, and menort does not know its keys."
                : "The \(names.dropLast().joined(separator: ", ")) and \(names.last!) tables are your team's, and menort does not know their keys."
            lines.append("//")
            lines += comment(tables + " This code assumes:")
            let width = assumed.map(\.table.rawValue.count).max() ?? 0
            for (table, keys) in assumed {
                let spelled = keys.enumerated().map { $0.element + ($0.offset == 0 ? " (partition)" : " (sort)") }.joined(separator: " + ")
                lines.append("//   \(table.rawValue)\(String(repeating: " ", count: width - table.rawValue.count + 2))\(spelled)")
            }
            lines.append("// Adjust to your table's keys.")
        }
        if code.tablesUsed.contains(.connections) {
            lines.append("//")
            lines += comment("The connections table is the stack's own: \(Shape.partitionKey) (partition) + \(Shape.sortKey) (sort), the \(Shape.index) on \(Shape.sortKey), TTL on \(Shape.ttlAttribute).")
        }
        return lines.map { $0 + "\n" }.joined() + "\n"
    }

    /// `text` as `//` comment lines of at most `width` columns, broken between words.
    private func comment(_ text: String, first: String = "// ", rest: String = "// ", width: Int = 100) -> [String] {
        var lines: [String] = []
        var line = first
        var empty = true
        for word in text.split(separator: " ") {
            if !empty, line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                empty = true
            }
            line += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(line)
        return lines
    }

    private var contractSummary: String {
        let tables = route.orderedTables.map { "\($0.0.rawValue) \($0.1.rawValue)" }
        return (tables.isEmpty ? "no tables" : "tables: " + tables.joined(separator: ", ")) + "; broadcast: \(route.broadcast)"
    }

    /// What a variable the template sets means, from the contract that names it.
    private func describe(_ name: String) -> String {
        if let table = Table.allCases.first(where: { $0.environmentVariable == name }) {
            return "the \(table.rawValue) table" + (route.tables[table].map { " (\($0.rawValue))" } ?? "")
        }
        if name == Shape.indexVariable { return "the connections table's index on \(Shape.sortKey)" }
        if name == RealtimeContract.managementEndpointVariable { return "the Management API: POST @connections/{connectionId}" }
        return ""
    }
}

private typealias Shape = RealtimeContract.Connections

/// The handler's code as it is assembled: the body's lines, the functions it calls, and what
/// the header says about it. Declarations and imports follow from what the code uses.
private struct HandlerCode {
    let route: Route
    /// One line per thing the handler does, for the header.
    var summary: [String] = []
    /// The event fields the handler reads, for the header.
    var eventFields: [String] = []
    /// The tables the code touches.
    var tablesUsed: Set<Table> = []
    /// `export const handler = …`.
    var handler: [String] = []
    /// Module-level functions, in order of first use.
    var functions: [String] = []

    init(route: Route) { self.route = route }

    private var connections: Access? { route.tables[.connections] }
    private var writesConnections: Bool { connections == .write }
    private var posts: Bool { route.broadcast }

    private func jsName(_ table: Table) -> String { "\(table.rawValue)Table" }

    private mutating func use(_ table: Table) { tablesUsed.insert(table) }

    private mutating func add(function: String) {
        if !functions.contains(function) { functions.append(function) }
    }

    // MARK: $connect

    mutating func connect() {
        eventFields = ["requestContext.connectionId", "requestContext.routeKey", "requestContext.connectedAt", "queryStringParameters.sessionId"]
        summary.append("Refuses the connection (400) when the URL has no sessionId query parameter (wss://…/<stage>?sessionId=…).")
        var steps: [String] = []
        // Set by the steps that use the time, so `now` is declared only when something reads it.
        var needsNow = false
        if let access = route.tables[.sessions] {
            use(.sessions)
            summary.append("Refuses it (401) when the sessions table has no such session.")
            steps += [
                "    // sessions (\(access.rawValue)): only a session that exists may connect.",
                "    if (!(await getItem(sessionsTable, { sessionId }))) {",
                "      console.log(`refused ${connectionId}: unknown session ${sessionId}`);",
                "      return { statusCode: 401 };",
                "    }",
            ]
            if access == .write {
                summary.append("Notes the session's last activity (lastActiveAt) in the sessions table.")
                steps.append("    await touchSession(sessionId, now);")
                needsNow = true
                addTouchSession()
            }
        }
        if writesConnections {
            use(.connections)
            needsNow = true
            summary.append("Writes the connection's row (sessionId, connectionId, expiresAt) into the connections table, which the other routes fan out over; expiresAt (\(HandlerScaffold.connectionTTLSeconds / 3600) hours, the longest a connection lives) lets the table's TTL remove rows whose $disconnect never ran.")
            steps += [
                "    // connections (write): the row the other routes fan out over; expiresAt is the table's TTL.",
                "    await putItem(connectionsTable, {",
                "      sessionId, connectionId, connectedAt: event.requestContext.connectedAt ?? now,",
                "      expiresAt: Math.floor(now / 1000) + connectionTTLSeconds,",
                "    });",
            ]
        } else {
            summary.append("Records nothing in the connections table (its route may not write it), so no broadcast will reach this connection.")
        }
        if route.tables[.presence] == .write {
            use(.presence)
            summary.append("Marks the connection online in the presence table.")
            needsNow = true
            steps += [
                "    // presence (write): the connection is online.",
                "    await putItem(presenceTable, { sessionId, connectionId, status: 'online', updatedAt: now });",
            ]
        }
        if posts, connections != nil {
            use(.connections)
            summary.append("Tells the session's other connections: {\"action\": \"connected\", \"sessionId\", \"connectionId\"} (a connection cannot be posted to before its $connect returns).")
            steps += [
                "    // broadcast: the session's other connections learn of this one (it cannot be posted to yet).",
                "    await broadcast(sessionId, { action: 'connected', sessionId, connectionId }, connectionId);",
            ]
            addBroadcast()
        }
        summary.append("Accepts the connection (200); on an error, logs it and refuses with 500.")
        handler = [
            "export const handler = async (event) => {",
            "  const { connectionId, routeKey } = event.requestContext;",
            "  const sessionId = event.queryStringParameters?.sessionId;",
            "  if (!sessionId) {",
            "    console.log(`refused ${connectionId}: no sessionId query parameter`);",
            "    return { statusCode: 400 };",
            "  }",
            "  try {",
        ]
        if needsNow { handler.append("    const now = Date.now();") }
        handler += steps + Self.handlerEnd(event: "of")
    }

    /// The end of a handler's `try`: 200 when every step ran, else the error logged and 500.
    /// `event` reads "of" for a connection's events and "from" for a client's messages.
    static func handlerEnd(event: String) -> [String] {
        [
            "    return { statusCode: 200 };",
            "  } catch (error) {",
            "    console.error(`${routeKey} \(event) ${connectionId} failed:`, error);",
            "    return { statusCode: 500 };",
            "  }",
            "};",
        ]
    }

    // MARK: $disconnect

    mutating func disconnect() {
        eventFields = ["requestContext.connectionId", "requestContext.routeKey"]
        var steps: [String] = []
        handler = [
            "export const handler = async (event) => {",
            "  const { connectionId, routeKey } = event.requestContext;",
            "  try {",
        ]
        if let access = connections {
            use(.connections)
            summary.append("Finds the connection's rows through the connections table's \(Shape.index) (the event carries only the connectionId).")
            var perRow: [String] = []
            if access == .write {
                summary.append("Deletes them.")
                perRow.append("      await deleteItem(connectionsTable, { sessionId, connectionId });")
            } else {
                summary.append("Leaves them to the table's TTL (its route may only read the connections table).")
            }
            if route.tables[.presence] == .write {
                use(.presence)
                summary.append("Deletes the connection's row in the presence table.")
                perRow.append("      await deleteItem(presenceTable, { sessionId, connectionId });")
            }
            if route.tables[.sessions] == .write {
                use(.sessions)
                summary.append("Notes the session's last activity (lastActiveAt) in the sessions table.")
                perRow.append("      await touchSession(sessionId, Date.now());")
                addTouchSession()
            }
            if posts {
                summary.append("Tells the session's other connections: {\"action\": \"disconnected\", \"sessionId\", \"connectionId\"}.")
                perRow.append("      await broadcast(sessionId, { action: 'disconnected', sessionId, connectionId }, connectionId);")
                addBroadcast()
            }
            steps.append("    // connections: the event carries only the connectionId; its rows are found through the index.")
            steps.append("    const rows = await query(connectionsTable, { connectionId }, { IndexName: connectionsIndex });")
            if !perRow.isEmpty {
                steps += ["    for (const { sessionId } of rows) {"] + perRow + ["    }"]
            }
            steps.append("    console.log(`disconnected ${connectionId} (${rows.length} row${rows.length === 1 ? '' : 's'})`);")
        } else {
            summary.append("Only logs the connection: its route may not read the connections table, so it cannot know the connection's session.")
            steps.append("    console.log(`disconnected ${connectionId}`);")
        }
        summary.append("Returns 200 (API Gateway ignores what $disconnect returns; the client is gone); on an error, logs it.")
        handler += steps + Self.handlerEnd(event: "of")
    }

    // MARK: $default

    mutating func defaultRoute() {
        eventFields = ["requestContext.connectionId", "body"]
        summary.append("Receives the messages whose action matches no route, and those that are not JSON.")
        handler = [
            "export const handler = async (event) => {",
            "  const { connectionId } = event.requestContext;",
            "  let action = null;",
            "  try {",
            "    const message = JSON.parse(event.body ?? '');",
            "    if (message && typeof message === 'object' && typeof message.action === 'string') action = message.action;",
            "  } catch {",
            "    // not JSON: API Gateway routes it here too",
            "  }",
            "  console.log(`unknown action ${JSON.stringify(action)} from ${connectionId}`);",
        ]
        if posts {
            summary.append("Answers the sender through @connections: {\"error\": \"unknown action\", \"action\": <its action, or null>}.")
            handler += [
                "  try {",
                "    await postToConnection(managementEndpoint, connectionId, { error: 'unknown action', action });",
                "  } catch (error) {",
                "    console.error(`answering ${connectionId} failed:`, error);",
                "    return { statusCode: 500 };",
                "  }",
            ]
        } else {
            summary.append("Only logs it: its route may not post to connections (broadcast: false), so it cannot answer.")
        }
        handler += ["  return { statusCode: 200 };", "};"]
    }

    // MARK: Other routes

    mutating func message() {
        eventFields = ["requestContext.connectionId", "requestContext.routeKey", "body (JSON: {\"action\": \"\(route.key)\", …})"]
        summary.append("Parses the message (JSON) and refuses one that is not an object.")
        var steps = [
            "    const message = parseMessage(event.body);",
            "    if (!message) return await refuse(connectionId, routeKey, 'the message is not a JSON object');",
        ]
        add(function: """
            /** The message as an object, or null when it is not a JSON object. */
            function parseMessage(body) {
              try {
                const message = JSON.parse(body ?? '');
                return message && typeof message === 'object' && !Array.isArray(message) ? message : null;
              } catch {
                return null;
              }
            }
            """)
        addRefuse()
        if connections != nil {
            use(.connections)
            summary.append("Finds the sender's session from its row in the connections table (through the \(Shape.index)).")
            steps += [
                "    // connections: the sender's session, from its row.",
                "    const sessionId = await sessionOf(connectionId);",
                "    if (!sessionId) {",
                "      return await refuse(connectionId, routeKey, 'this connection has no row in the connections table');",
                "    }",
            ]
            add(function: """
                /** The session of a connection, from its row in the connections table (found through the index). */
                async function sessionOf(connectionId) {
                  const [row] = await query(connectionsTable, { connectionId }, { IndexName: connectionsIndex, Limit: 1 });
                  return row?.sessionId ?? null;
                }
                """)
        } else {
            summary.append("Takes the session from the message's sessionId (its route may not read the connections table).")
            steps += [
                "    // The route may not read the connections table: the message names its session.",
                "    const sessionId = typeof message.sessionId === 'string' ? message.sessionId : null;",
                "    if (!sessionId) return await refuse(connectionId, routeKey, 'sessionId is missing');",
            ]
        }
        steps.append("    const frame = { action: routeKey, sessionId, from: connectionId, sentAt: Date.now() };")
        if let access = route.tables[.sessions] {
            use(.sessions)
            summary.append("Refuses a message of a session the sessions table does not hold.")
            steps += [
                "    // sessions (\(access.rawValue)): only a session that exists.",
                "    if (!(await getItem(sessionsTable, { sessionId }))) {",
                "      return await refuse(connectionId, routeKey, `unknown session ${sessionId}`);",
                "    }",
            ]
            if access == .write {
                summary.append("Notes the session's last activity (lastActiveAt) in the sessions table.")
                steps.append("    await touchSession(sessionId, frame.sentAt);")
                addTouchSession()
            }
        }
        switch route.tables[.chat] {
        case .write:
            use(.chat)
            summary.append("Stores the message's text in the chat table (refusing a message without text); its messageId starts with the time, so a session's messages sort by it.")
            steps += [
                "    // chat (write): store the message; messageId starts with the time, so a session's messages sort by it.",
                "    if (typeof message.text !== 'string' || message.text === '') {",
                "      return await refuse(connectionId, routeKey, 'text is missing');",
                "    }",
                "    frame.messageId = `${new Date(frame.sentAt).toISOString()}#${randomUUID()}`;",
                "    frame.text = message.text;",
                "    await putItem(chatTable, {",
                "      sessionId, messageId: frame.messageId, from: connectionId, text: frame.text, sentAt: frame.sentAt,",
                "    });",
            ]
        case .read:
            use(.chat)
            summary.append("Reads the session's latest 20 messages from the chat table (messages, oldest first).")
            steps += [
                "    // chat (read): the session's latest messages, oldest first.",
                "    frame.messages = (await query(chatTable, { sessionId }, { ScanIndexForward: false, Limit: 20 })).reverse();",
            ]
        case nil:
            break
        }
        switch route.tables[.presence] {
        case .write:
            use(.presence)
            summary.append("Writes the connection's status (the message's status, else \"online\") into the presence table.")
            steps += [
                "    // presence (write): this connection's status.",
                "    frame.status = typeof message.status === 'string' ? message.status : 'online';",
                "    await putItem(presenceTable, { sessionId, connectionId, status: frame.status, updatedAt: frame.sentAt });",
            ]
        case .read:
            use(.presence)
            summary.append("Reads who is in the session from the presence table (presence).")
            steps += [
                "    // presence (read): the session's connections and their status.",
                "    frame.presence = await query(presenceTable, { sessionId });",
            ]
        case nil:
            break
        }
        let frameFields = "{\"action\": \"\(route.key)\", \"sessionId\", \"from\", \"sentAt\", …}"
        if posts, connections != nil {
            summary.append("Posts \(frameFields) to every connection of the session, the sender's included, through @connections; a connection that is gone (410) \(writesConnections ? "loses its row" : "is skipped (its row expires by TTL: the route may only read the connections table)").")
            steps += [
                "    // broadcast: every connection of the session, the sender's included.",
                "    await broadcast(sessionId, frame);",
            ]
            addBroadcast()
        } else if posts {
            summary.append("Posts \(frameFields) back to the sender through @connections (without the connections table it knows no other connection).")
            steps += [
                "    // broadcast, without the connections table: back to the sender only.",
                "    await postToConnection(managementEndpoint, connectionId, frame);",
            ]
        } else {
            summary.append("Logs \(frameFields): its route may not post to connections (broadcast: false in menort.yaml).")
            steps += [
                "    // The route may not post to connections (broadcast: false in menort.yaml): the frame is only logged.",
                "    console.log(JSON.stringify(frame));",
            ]
        }
        summary.append("Returns 200; on an error, logs it and returns 500 (API Gateway sends a message route's answer to no one).")
        handler = [
            "export const handler = async (event) => {",
            "  const { connectionId, routeKey } = event.requestContext;",
            "  try {",
        ] + steps + Self.handlerEnd(event: "from")
    }

    // MARK: Shared functions

    private mutating func addRefuse() {
        if posts {
            add(function: """
                /** Tells the sender why its message was refused, through @connections. */
                async function refuse(connectionId, routeKey, reason) {
                  console.log(`refused ${routeKey} from ${connectionId}: ${reason}`);
                  await postToConnection(managementEndpoint, connectionId, { error: reason, action: routeKey });
                  return { statusCode: 400 };
                }
                """)
        } else {
            add(function: """
                /** Logs why a message was refused (the route may not post to connections to say so). */
                async function refuse(connectionId, routeKey, reason) {
                  console.log(`refused ${routeKey} from ${connectionId}: ${reason}`);
                  return { statusCode: 400 };
                }
                """)
        }
    }

    private mutating func addTouchSession() {
        use(.sessions)
        add(function: """
            /** Notes the session's last activity. */
            async function touchSession(sessionId, now) {
              await dynamodb('UpdateItem', {
                TableName: sessionsTable, Key: marshall({ sessionId }),
                UpdateExpression: 'SET lastActiveAt = :now', ExpressionAttributeValues: marshall({ ':now': now }),
              });
            }
            """)
    }

    private mutating func addBroadcast() {
        use(.connections)
        let gone = writesConnections
            ? "      console.log(`gone: ${connectionId}`);\n      await deleteItem(connectionsTable, { sessionId, connectionId });"
            : "      console.log(`gone: ${connectionId} (its row expires by TTL)`);"
        let fate = writesConnections ? "a connection that is gone (410) loses its row" : "one that is gone (410) is skipped"
        add(function: """
            /** Posts `frame` to every connection of the session but `except`; \(fate). */
            async function broadcast(sessionId, frame, except) {
              const rows = await query(connectionsTable, { sessionId });
              await Promise.all(rows.filter((row) => row.connectionId !== except).map(async ({ connectionId }) => {
                try {
                  if (await postToConnection(managementEndpoint, connectionId, frame)) return;
            \(gone)
                } catch (error) {
                  console.error(`posting to ${connectionId} failed:`, error); // one failed post does not stop the others
                }
              }));
            }
            """)
    }

    // MARK: The module

    /// Imports, the declarations the code uses, the handler, then the functions it calls.
    func module() -> String {
        let handlerText = handler.joined(separator: "\n") + "\n"
        let functionText = functions.map { "\n" + $0 + "\n" }.joined()
        let code = handlerText + functionText
        func uses(_ identifier: String) -> Bool {
            // An identifier, not part of a longer one (`query(` inside `getItemquery(`).
            var rest = Substring(code)
            while let range = rest.firstRange(of: identifier) {
                let before = range.lowerBound == code.startIndex ? nil : code[code.index(before: range.lowerBound)]
                let after = range.upperBound == code.endIndex ? nil : code[range.upperBound]
                let isPart: (Character?) -> Bool = { $0.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" } ?? false }
                // `name(` ends the match itself; a bare name must not run on into a longer one.
                if !isPart(before), before != ".", isPart(identifier.last) ? !isPart(after) : true { return true }
                rest = code[range.upperBound...]
            }
            return false
        }
        var lines: [String] = []
        if uses("randomUUID(") { lines.append("import { randomUUID } from 'node:crypto';") }
        let helpers = ["dynamodb", "deleteItem", "getItem", "marshall", "postToConnection", "putItem", "query"].filter { uses($0 + "(") }
        if !helpers.isEmpty { lines.append("import { \(helpers.joined(separator: ", ")) } from './\(HandlerHelper.fileName)';") }
        var declarations: [String] = []
        for table in Table.allCases where uses(jsName(table)) {
            declarations.append("const \(jsName(table)) = process.env.\(table.environmentVariable);")
        }
        if uses("connectionsIndex") { declarations.append("const connectionsIndex = process.env.\(Shape.indexVariable);") }
        if uses("managementEndpoint") {
            declarations.append("const managementEndpoint = process.env.\(RealtimeContract.managementEndpointVariable);")
        }
        if uses("connectionTTLSeconds") {
            declarations.append("// API Gateway closes a connection after 2 hours at the latest.")
            declarations.append("const connectionTTLSeconds = \(HandlerScaffold.connectionTTLSeconds / 3600) * 60 * 60;")
        }
        var text = lines.map { $0 + "\n" }.joined()
        if !declarations.isEmpty { text += (text.isEmpty ? "" : "\n") + declarations.map { $0 + "\n" }.joined() }
        return text + (text.isEmpty ? "" : "\n") + code
    }
}
