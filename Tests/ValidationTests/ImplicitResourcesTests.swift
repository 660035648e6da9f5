import Foundation
import Testing
import Validation
import YAML

@Suite("SAM implicit resources")
struct ImplicitResourcesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let resources: String
        let expected: Set<String>
        var testDescription: String { name }

        init(_ name: String, _ resources: String, _ expected: Set<String>) {
            self.name = name
            self.resources = resources
            self.expected = expected
        }
    }

    static func template(_ body: String, sam: Bool = true) -> SourceTemplate {
        let text = (sam ? "Transform: AWS::Serverless-2016-10-31\n" : "") + body
        let root = (try? Parser.parse(text)) ?? nil
        return SourceTemplate(file: "template.yaml", root: root ?? .mapping([]))
    }

    /// Small SAM templates and the logical ids SAM 1.110 gives what it creates for them.
    static let cases: [Case] = [
        Case("a function without a role gets one", """
            Resources:
              F:
                Type: AWS::Serverless::Function
            """, ["FRole"]),
        Case("a function with a role gets none", """
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties: {Role: arn:aws:iam::123456789012:role/r}
            """, []),
        Case("AutoPublishAlias adds an alias named after it (the version's id is a hash)", """
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties: {AutoPublishAlias: my-alias_1}
            """, ["FRole", "FAliasmyDaliasU1"]),
        Case("an alias from a parameter's default, set in Globals", """
            Parameters:
              Alias: {Type: String, Default: live}
            Globals:
              Function: {AutoPublishAlias: !Ref Alias}
            Resources:
              F:
                Type: AWS::Serverless::Function
            """, ["FRole", "FAliaslive"]),
        Case("an Api event without RestApiId creates the implicit REST API", """
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties:
                  Events:
                    Get: {Type: Api, Properties: {Path: /, Method: get}}
            """, ["FRole", "FGetPermissionProd", "ServerlessRestApi", "ServerlessRestApiProdStage"]),
        Case("an HttpApi event without ApiId creates the implicit HTTP API", """
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties:
                  Events:
                    Any: {Type: HttpApi}
            """, ["FRole", "FAnyPermission", "ServerlessHttpApi", "ServerlessHttpApiApiGatewayDefaultStage"]),
        Case("schedules, queues, topics and streams", """
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties:
                  Role: !GetAtt R.Arn
                  Events:
                    Tick: {Type: Schedule, Properties: {Schedule: rate(1 minute)}}
                    Tock: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 minute)}}
                    Jobs: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn}}
                    News: {Type: SNS, Properties: {Topic: !Ref T}}
                    Buffered: {Type: SNS, Properties: {Topic: !Ref T, SqsSubscription: true}}
                    Changes: {Type: DynamoDB, Properties: {Stream: !GetAtt D.StreamArn, StartingPosition: LATEST}}
                    Upload: {Type: S3, Properties: {Bucket: !Ref B, Events: s3:ObjectCreated:*}}
              B:
                Type: AWS::S3::Bucket
            """, ["FTick", "FTickPermission", "FTock", "FTockRole", "FJobs", "FNews", "FNewsPermission",
                  "FBuffered", "FBufferedQueue", "FBufferedQueuePolicy", "FBufferedEventSourceMapping", "FChanges",
                  "FUploadPermission"]),
        Case("an explicit API with a stage, and a function routed to it", """
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties: {StageName: v1}
              F:
                Type: AWS::Serverless::Function
                Properties:
                  Role: !GetAtt R.Arn
                  Events:
                    Get: {Type: Api, Properties: {Path: /, Method: get, RestApiId: !Ref Api}}
            """, ["FGetPermissionv1", "Apiv1Stage"]),
        Case("an HTTP API with and without a stage name", """
            Resources:
              Default:
                Type: AWS::Serverless::HttpApi
              Named:
                Type: AWS::Serverless::HttpApi
                Properties: {StageName: prod}
            """, ["DefaultApiGatewayDefaultStage", "NamedprodStage"]),
        Case("a state machine without a role, with an event", """
            Resources:
              Flow:
                Type: AWS::Serverless::StateMachine
                Properties:
                  Events:
                    Nightly: {Type: Schedule, Properties: {Schedule: rate(1 day)}}
            """, ["FlowRole", "FlowNightly", "FlowNightlyRole"]),
        Case("a connector from a function to a table", """
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties: {Role: !GetAtt R.Arn}
              Table:
                Type: AWS::DynamoDB::Table
              Access:
                Type: AWS::Serverless::Connector
                Properties:
                  Source: {Id: F}
                  Destination: {Id: Table}
                  Permissions: [Read]
            """, ["AccessPolicy"]),
        Case("a SAM WebSocket API with routes and a stage", """
            Resources:
              Ws:
                Type: AWS::Serverless::WebSocketApi
                Properties:
                  RouteSelectionExpression: $request.body.action
                  StageName: prod
                  Routes:
                    $connect: {FunctionArn: !GetAtt C.Arn}
                    sendMessage: {FunctionArn: !GetAtt S.Arn}
            """, ["WsprodStage", "WsConnectRoute", "WsConnectIntegration", "WsConnectPermission",
                  "WsSendmessageRoute", "WsSendmessageIntegration", "WsSendmessagePermission"]),
    ]

    @Test("SAM creates the resources SAM's translator creates", arguments: cases)
    func created(_ row: Case) {
        #expect(Set(SAMImplicit.resources(in: Self.template(row.resources)).map(\.id)) == row.expected)
    }

    @Test("An implicit resource knows its type and the resource that declares it")
    func typeAndSource() {
        let template = Self.template("Resources:\n  F:\n    Type: AWS::Serverless::Function\n")
        #expect(SAMImplicit.resources(in: template) == [ImplicitResource(id: "FRole", type: "AWS::IAM::Role", source: "F")])
    }

    @Test("Dotted names are referenceable where SAM resolves them, and only there")
    func dottedNames() {
        let names = SAMImplicit.referenceableNames(in: Self.template("""
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties: {AutoPublishAlias: live}
              G:
                Type: AWS::Serverless::Function
              Api:
                Type: AWS::Serverless::Api
                Properties: {StageName: v1}
              Http:
                Type: AWS::Serverless::HttpApi
              Q:
                Type: AWS::SQS::Queue
                Connectors:
                  Reader: {Properties: {Destination: {Id: F}, Permissions: [Read]}}
            """))
        for name in ["F.Alias", "F.Version", "Api.Stage", "Api.Deployment", "Http.Stage", "FRole", "QReader", "QReaderPolicy"] {
            #expect(names.contains(name), "\(name)")
        }
        for name in ["G.Alias", "G.Version", "Api.DomainName", "Http.DomainName", "Q.Arn"] {
            #expect(!names.contains(name), "\(name)")
        }
    }

    @Test("A template without the SAM transform or SAM types has no implicit resources")
    func plainTemplate() {
        let template = Self.template("Resources:\n  F:\n    Type: AWS::Lambda::Function\n", sam: false)
        #expect(SAMImplicit.resources(in: template).isEmpty)
        #expect(SAMImplicit.referenceableNames(in: template).isEmpty)
    }

    @Test("Every implicit id predicted for a SAM test input is in the translator's output for it")
    func corpusPairs() {
        guard let root = RefsCorpus.root(for: "the SAM input/output pairs") else { return }
        var predicted = 0
        var matched = 0
        var created = 0
        var wrong: [String] = []
        var missing: [String] = []
        for name in RefsCorpus.files(root + "/sam/input", suffix: ".yaml") {
            let base = String(name.dropLast(5))
            guard let input = RefsCorpus.tree(root + "/sam/input/" + name),
                  let output = RefsCorpus.tree(root + "/sam/output/" + base + ".json"),
                  let outputResources = output["Resources"]?.pairs else { continue }
            let template = SourceTemplate(file: name, root: input)
            let declared = Set(template.resources.map(\.id))
            let produced = Set(outputResources.compactMap(\.key.scalar))
            let implicit = SAMImplicit.resources(in: template)
            predicted += implicit.count
            for resource in implicit {
                if produced.contains(resource.id) { matched += 1 } else { wrong.append("\(base): \(resource)") }
            }
            let ids = Set(implicit.map(\.id))
            for id in produced.subtracting(declared) {
                created += 1
                if !ids.contains(id) { missing.append("\(base): \(id)") }
            }
        }
        print("implicit resources: \(predicted) predicted, \(matched) in the outputs; outputs create \(created) undeclared ids, \(created - missing.count) predicted")
        if ProcessInfo.processInfo.environment["MENORT_DEBUG"] != nil {
            for line in missing.sorted() { print("missing \(line)") }
        }
        #expect(wrong == [])
    }
}
