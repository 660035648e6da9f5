import CloudFormation
import Foundation
import Testing
import YAML
@testable import RealtimeStack

/// Issue 13's operations keys: tags, log groups and retention, throttling, stage logging.
@Suite("Operations: tags, logs and limits")
struct OperationsTests {
    static func config(_ text: String) throws -> StackConfig {
        try StackConfig.parse(text, file: "menort.yaml", today: testDay)
    }

    static func resources(_ config: StackConfig, ofType type: String) throws -> [Resource] {
        try config.template().resources.filter { $0.type == type }
    }

    static func property(_ resource: Resource?, _ path: String...) -> Value? {
        var value: Value? = .map(resource?.properties ?? [])
        for key in path { value = value?[key] }
        return value
    }

    @Test("The operations config renders byte for byte as its golden file")
    func goldenOperations() throws {
        let config = try Self.config(try Fixture.read("Tests/Fixtures/operations.menort.yaml"))
        let rendered = try config.render()
        if Fixture.recording { try Fixture.write(rendered, to: "Tests/Fixtures/operations.template.yaml") }
        #expect(rendered == (try Fixture.read("Tests/Fixtures/operations.template.yaml")))
    }

    // MARK: Tags

    @Test("Every resource type that takes tags carries Service and Stage, a map or a Key/Value list as its type wants")
    func tagsOnEveryTaggableResource() throws {
        let template = try StackConfig.default.template()
        let map: Value = .map([.init("Service", .ref("ServiceName")), .init("Stage", .ref("StageName"))])
        let list: Value = .list([
            .map([.init("Key", "Service"), .init("Value", .ref("ServiceName"))]),
            .map([.init("Key", "Stage"), .init("Value", .ref("StageName"))]),
        ])
        for resource in template.resources {
            let tags = Self.property(resource, "Tags")
            switch resource.type {
            case "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage":
                #expect(tags == map, "\(resource.id)")
            case "AWS::DynamoDB::Table", "AWS::Logs::LogGroup":
                #expect(tags == list, "\(resource.id)")
            case "AWS::Serverless::Function":
                // From Globals, which SAM merges into every function (and its role).
                #expect(tags == nil, "\(resource.id)")
            default:
                // Routes, integrations, deployments and permissions take no tags.
                #expect(tags == nil, "\(resource.id)")
            }
        }
        #expect(template.globals.first?.value["Tags"] == map)
    }

    @Test("tags: are kept in order after the stack's own, on every tagged resource")
    func teamTagsFollowTheStacks() throws {
        let config = try Self.config("tags:\n  team: realtime\n  cost-center: 'C-42'\n  empty: ''\n")
        #expect(config.tags == [Tag(key: "team", value: "realtime"), Tag(key: "cost-center", value: "C-42"), Tag(key: "empty", value: "")])
        let template = try config.template()
        let mapKeys = ["Service", "Stage", "team", "cost-center", "empty"]
        #expect(template.globals.first?.value["Tags"]?.fields?.map(\.key) == mapKeys)
        for type in ["AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage"] {
            #expect(try Self.resources(config, ofType: type).allSatisfy { Self.property($0, "Tags")?.fields?.map(\.key) == mapKeys })
        }
        for type in ["AWS::DynamoDB::Table", "AWS::Logs::LogGroup"] {
            let lists = try Self.resources(config, ofType: type).map { Self.property($0, "Tags") }
            #expect(!lists.isEmpty)
            for tags in lists {
                guard case .list(let items)? = tags else {
                    Issue.record("\(type) tags are not a list")
                    continue
                }
                #expect(items.map { $0["Key"] } == mapKeys.map { .string($0) })
                #expect(items.last?["Value"] == .string(""))
            }
        }
    }

    @Test("47 tags of the team's own are accepted: with Service, Stage and SAM's lambda:createdBy, 50 on a function")
    func mostTags() throws {
        let config = try Self.config("tags:\n" + (1...Tag.maxOwn).map { "  t\($0): v\n" }.joined())
        #expect(config.tags.count == 47)
        #expect(try config.template().globals.first?.value["Tags"]?.fields?.count == 49)
    }

    // MARK: Log groups

    @Test("Each function logs to its own group, named after it under the stack, deleted with the stack")
    func functionLogGroups() throws {
        let template = try StackConfig.default.template()
        let functions = template.resources.filter { $0.type == "AWS::Serverless::Function" }
        #expect(functions.count == 5)
        for function in functions {
            let prefix = String(function.id.rawValue.dropLast("Function".count))
            let logs = template.resource(prefix + "Logs")
            #expect(logs?.type == "AWS::Logs::LogGroup")
            #expect(Self.property(function, "LoggingConfig") == .map([.init("LogGroup", .ref(prefix + "Logs"))]))
            #expect(Self.property(logs, "LogGroupName") == .sub("/aws/lambda/${AWS::StackName}-\(function.id)", []))
            #expect(Self.property(logs, "RetentionInDays") == .int(30))
            #expect(logs?.deletionPolicy == .delete)
            #expect(logs?.updateReplacePolicy == .delete)
        }
    }

    @Test("logRetentionDays sets every log group's retention", arguments: StackConfig.logRetentionValues)
    func retention(_ days: Int) throws {
        let config = try Self.config("logRetentionDays: \(days)\nstageLogging: {access: true, level: ERROR}\n")
        #expect(config.logRetentionDays == days)
        let groups = try Self.resources(config, ofType: "AWS::Logs::LogGroup")
        #expect(groups.count == 7)
        #expect(groups.allSatisfy { Self.property($0, "RetentionInDays") == .int(days) })
    }

    // MARK: Throttling

    @Test("The stage always throttles, by default at a burst of 500 and 1000 messages a second")
    func defaultThrottling() throws {
        let stage = try Self.resources(.default, ofType: "AWS::ApiGatewayV2::Stage").first
        #expect(Self.property(stage, "DefaultRouteSettings") == .map([
            .init("ThrottlingBurstLimit", .int(500)), .init("ThrottlingRateLimit", .int(1000)),
        ]))
    }

    @Test("throttling: sets the stage's limits; a key left out keeps its default",
          arguments: [
            ("throttling: {burst: 20, rate: 0.5}\n", 20, "0.5"),
            ("throttling: {burst: 5000, rate: 10000}\n", 5000, "10000"),
            ("throttling: {rate: 1}\n", 500, "1"),
            ("throttling: {burst: 1}\n", 1, "1000"),
            ("throttling: {}\n", 500, "1000"),
          ])
    func throttling(_ text: String, _ burst: Int, _ rate: String) throws {
        let stage = try Self.resources(try Self.config(text), ofType: "AWS::ApiGatewayV2::Stage").first
        #expect(Self.property(stage, "DefaultRouteSettings", "ThrottlingBurstLimit") == .int(burst))
        #expect(Self.property(stage, "DefaultRouteSettings", "ThrottlingRateLimit") == .number(rate))
    }

    // MARK: Stage logging

    @Test("Stage logging is off by default: no access log, no log level, no stage log groups", arguments: [
        "", "stageLogging: {}\n", "stageLogging: {access: false, level: OFF}\n",
    ])
    func stageLoggingOff(_ text: String) throws {
        let config = try Self.config(text)
        #expect(config.stageLogging == .off)
        let template = try config.template()
        let stage = template.resource("WebSocketStage")
        #expect(Self.property(stage, "AccessLogSettings") == nil)
        #expect(Self.property(stage, "DefaultRouteSettings", "LoggingLevel") == nil)
        #expect(stage?.dependsOn == [])
        #expect(template.resource("WebSocketAccessLogs") == nil)
        #expect(template.resource("WebSocketExecutionLogs") == nil)
    }

    @Test("access: true writes the documented JSON line to the stack's own access log group")
    func accessLog() throws {
        let template = try Self.config("stageLogging:\n  access: true\n").template()
        let stage = template.resource("WebSocketStage")
        #expect(Self.property(stage, "AccessLogSettings") == .map([
            .init("DestinationArn", .getAtt("WebSocketAccessLogs", "Arn")),
            .init("Format", .string(StageLogging.accessLogFormat)),
        ]))
        #expect(Self.property(template.resource("WebSocketAccessLogs"), "LogGroupName")
                == .sub("/aws/apigateway/${WebSocketApi}/${StageName}/access", []))
        #expect(Self.property(stage, "DefaultRouteSettings", "LoggingLevel") == nil)
        #expect(template.resource("WebSocketExecutionLogs") == nil)
    }

    @Test("The access log format is one JSON object whose values are the WebSocket context variables")
    func accessLogFormatIsJSON() throws {
        let object = try JSONSerialization.jsonObject(with: Data(StageLogging.accessLogFormat.utf8)) as? [String: String]
        #expect(object?.count == StageLogging.accessLogFields.count)
        for field in StageLogging.accessLogFields {
            #expect(object?[field.key] == field.variable)
        }
        for key in ["requestId", "connectionId", "routeKey", "eventType", "status", "integrationError"] {
            #expect(object?[key] != nil, "\(key)")
        }
    }

    @Test("The README documents every field of the access log", arguments: StageLogging.accessLogFields.map(\.key))
    func accessLogDocumented(_ key: String) throws {
        let readme = try Fixture.read("README.md")
        let field = try #require(StageLogging.accessLogFields.first { $0.key == key })
        #expect(readme.contains("| `\(field.key)` | `\(field.variable)` |"))
    }

    @Test("A log level sets LoggingLevel and creates API Gateway's execution log group before the stage",
          arguments: [LoggingLevel.error, .info])
    func executionLog(_ level: LoggingLevel) throws {
        let template = try Self.config("stageLogging:\n  level: \(level.rawValue)\n").template()
        let stage = template.resource("WebSocketStage")
        #expect(Self.property(stage, "DefaultRouteSettings", "LoggingLevel") == .string(level.rawValue))
        #expect(stage?.dependsOn.map(\.rawValue) == ["WebSocketExecutionLogs"])
        #expect(Self.property(template.resource("WebSocketExecutionLogs"), "LogGroupName")
                == .sub("API-Gateway-Execution-Logs_${WebSocketApi}/${StageName}", []))
        #expect(Self.property(stage, "AccessLogSettings") == nil)
        // Data tracing would put chat messages in the logs: never turned on.
        #expect(Self.property(stage, "DefaultRouteSettings", "DataTraceEnabled") == nil)
    }
}
