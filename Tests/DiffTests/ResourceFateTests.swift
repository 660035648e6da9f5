import Diff
import Testing

/// Logical ids that come and go, types that change, and what removing or replacing a
/// stateful resource does to its data under each policy.
@Suite("menort diff: renames, type changes and data loss")
struct ResourceFateTests {
    static let keys = """
          AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
          KeySchema: [{AttributeName: id, KeyType: HASH}]
          BillingMode: PAY_PER_REQUEST
    """

    @Test("A renamed logical id is a removal and an addition, each saying it is the other's rename")
    func rename() throws {
        let old = "Resources:\n  ChatTable:\n    Type: AWS::DynamoDB::Table\n    Properties:\n\(Self.keys)\n"
        let new = "Resources:\n  MessagesTable:\n    Type: AWS::DynamoDB::Table\n    Properties:\n\(Self.keys)\n"
        let result = try diff(old, new)
        #expect(result.resources.map(\.logicalId) == ["ChatTable", "MessagesTable"])
        let removed = try #require(result.resource("ChatTable"))
        #expect(removed.action == .remove)
        #expect(removed.reasons == ["the logical id becomes MessagesTable: CloudFormation creates MessagesTable, then deletes ChatTable"])
        // DeletionPolicy (not UpdateReplacePolicy) decides a removal; absent, it is Delete.
        #expect(removed.dataLoss?.destroyed == true)
        #expect(removed.dataLoss?.message == "ChatTable is removed and its data deleted (no DeletionPolicy, so Delete); set DeletionPolicy: Retain to keep it")
        let added = try #require(result.resource("MessagesTable"))
        #expect(added.action == .add)
        #expect(added.reasons == ["the logical id was ChatTable: a new resource, not an update of it"])
        #expect(added.dataLoss == nil)
    }

    @Test("A renamed logical id that keeps the table's TableName is refused: the new table cannot take a name the old one still holds")
    func renameKeepingTheName() throws {
        let old = "Resources:\n  ChatTable:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: meno-chat\n\(Self.keys)\n"
        let new = "Resources:\n  MessagesTable:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: meno-chat\n\(Self.keys)\n"
        let result = try diff(old, new)
        #expect(result.actions == ["ChatTable": .remove, "MessagesTable": .refused])
        let added = try #require(result.resource("MessagesTable"))
        // CloudFormation creates the new resource before it deletes the old one.
        #expect(added.reasons.first == "TableName meno-chat is held by ChatTable, which CloudFormation deletes only after creating MessagesTable: the create fails (the name exists). Deploy the removal first, or give MessagesTable another TableName")
    }

    @Test("Two removals and two additions of one type are not guessed to be renames")
    func ambiguousRenames() throws {
        let old = "Resources:\n  A: {Type: AWS::SNS::Topic}\n  B: {Type: AWS::SNS::Topic}\n"
        let new = "Resources:\n  C: {Type: AWS::SNS::Topic}\n  D: {Type: AWS::SNS::Topic}\n"
        let result = try diff(old, new)
        #expect(result.actions == ["A": .remove, "B": .remove, "C": .add, "D": .add])
        #expect(result.resources.allSatisfy { $0.reasons.isEmpty })
    }

    @Test("A changed Type on the same logical id is refused, in CloudFormation's words, and destroys nothing")
    func typeChange() throws {
        let old = "Resources:\n  Connections:\n    Type: AWS::DynamoDB::Table\n    Properties:\n\(Self.keys)\n"
        let new = "Resources:\n  Connections:\n    Type: AWS::DynamoDB::GlobalTable\n    Properties:\n\(Self.keys)\n"
        let change = try #require(try diff(old, new).resource("Connections"))
        #expect(change.action == .refused)
        #expect(change.oldType == "AWS::DynamoDB::Table")
        #expect(change.type == "AWS::DynamoDB::GlobalTable")
        #expect(change.reasons.count == 1)
        #expect(change.reasons.first?.contains("\"Update of resource type is not permitted\"") == true)
        #expect(change.reasons.first?.contains("rename the logical id to replace it") == true)
        // The deploy fails before anything is deleted.
        #expect(change.dataLoss == nil)
    }

    /// A stateful resource `Store`, with `attributes`, removed or replaced.
    struct PolicyRow: Sendable, CustomTestStringConvertible {
        let name: String
        let old: String
        let new: String
        let action: TemplateDiff.Action
        let loss: Loss
        let message: String
        var testDescription: String { name }
    }

    static func table(_ attributes: String, name: String = "meno-store") -> String {
        "Resources:\n  Store:\n    Type: AWS::DynamoDB::Table\n\(attributes)    Properties:\n      TableName: \(name)\n\(keys)\n"
    }

    static func database(_ attributes: String, _ properties: String) -> String {
        "Resources:\n  Store:\n    Type: AWS::RDS::DBInstance\n\(attributes)    Properties:\n      Engine: postgres\n      DBInstanceClass: db.t4g.micro\n\(properties)"
    }

    static let cluster = "      DBClusterIdentifier: meno-cluster\n"
    static let empty = "Resources: {}\n"

    // DeletionPolicy page: "If a resource has no DeletionPolicy attribute, CloudFormation deletes the resource by default
    // … This capability doesn't apply to resources whose physical instance is replaced"; "Exception: The default policy is
    // Snapshot for AWS::RDS::DBCluster resources and for AWS::RDS::DBInstance resources that don't specify the
    // DBClusterIdentifier property". UpdateReplacePolicy page: "By default, CloudFormation then deletes the old resource".
    static let policyRows: [PolicyRow] = [
        .init(name: "removed table, DeletionPolicy Retain", old: table("    DeletionPolicy: Retain\n"), new: empty, action: .remove, loss: .kept,
              message: "Store is removed but kept (DeletionPolicy: Retain): the old AWS::DynamoDB::Table stays in the account, outside the stack, with its data"),
        .init(name: "removed table, DeletionPolicy RetainExceptOnCreate", old: table("    DeletionPolicy: RetainExceptOnCreate\n"), new: empty, action: .remove, loss: .kept,
              message: "Store is removed but kept (DeletionPolicy: RetainExceptOnCreate): the old AWS::DynamoDB::Table stays in the account, outside the stack, with its data"),
        .init(name: "removed table, DeletionPolicy Delete", old: table("    DeletionPolicy: Delete\n"), new: empty, action: .remove, loss: .destroyed,
              message: "Store is removed and its data deleted (DeletionPolicy: Delete); set DeletionPolicy: Retain to keep it"),
        .init(name: "removed table, no policy", old: table(""), new: empty, action: .remove, loss: .destroyed,
              message: "Store is removed and its data deleted (no DeletionPolicy, so Delete); set DeletionPolicy: Retain to keep it"),
        .init(name: "removed table, only UpdateReplacePolicy Retain (it does not apply to removals)", old: table("    UpdateReplacePolicy: Retain\n"), new: empty,
              action: .remove, loss: .destroyed,
              message: "Store is removed and its data deleted (no DeletionPolicy, so Delete); set DeletionPolicy: Retain to keep it"),
        .init(name: "replaced table, UpdateReplacePolicy Retain", old: table("    UpdateReplacePolicy: Retain\n"),
              new: table("    UpdateReplacePolicy: Retain\n", name: "meno-store-v2"), action: .replace, loss: .kept,
              message: "Store is replaced but kept (UpdateReplacePolicy: Retain): the old AWS::DynamoDB::Table stays in the account, outside the stack, with its data"),
        .init(name: "replaced table, UpdateReplacePolicy Delete", old: table("    UpdateReplacePolicy: Delete\n"),
              new: table("    UpdateReplacePolicy: Delete\n", name: "meno-store-v2"), action: .replace, loss: .destroyed,
              message: "Store is replaced and its data deleted (UpdateReplacePolicy: Delete); set UpdateReplacePolicy: Retain to keep it"),
        .init(name: "replaced table, no policy", old: table(""), new: table("", name: "meno-store-v2"), action: .replace, loss: .destroyed,
              message: "Store is replaced and its data deleted (no UpdateReplacePolicy, so Delete); set UpdateReplacePolicy: Retain to keep it"),
        .init(name: "replaced table, only DeletionPolicy Retain (it does not apply to replacements)", old: table("    DeletionPolicy: Retain\n"),
              new: table("    DeletionPolicy: Retain\n", name: "meno-store-v2"), action: .replace, loss: .destroyed,
              message: "Store is replaced and its data deleted (no UpdateReplacePolicy, so Delete); set UpdateReplacePolicy: Retain to keep it"),
        .init(name: "removed RDS instance outside a cluster, no policy: Snapshot", old: database("", ""), new: empty, action: .remove, loss: .kept,
              message: "Store is removed after a final snapshot (no DeletionPolicy, so Snapshot): the data survives only in that snapshot"),
        .init(name: "removed RDS instance of a cluster, no policy: Delete", old: database("", cluster), new: empty, action: .remove, loss: .destroyed,
              message: "Store is removed and its data deleted (no DeletionPolicy, so Delete); set DeletionPolicy: Retain to keep it"),
        .init(name: "removed RDS cluster, no policy: Snapshot",
              old: "Resources:\n  Store:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-postgresql\n", new: empty, action: .remove, loss: .kept,
              message: "Store is removed after a final snapshot (no DeletionPolicy, so Snapshot): the data survives only in that snapshot"),
        // DBInstanceIdentifier is createOnly. The Snapshot default is the DeletionPolicy's: a replaced instance is deleted.
        .init(name: "replaced RDS instance, no policy: Delete", old: database("", "      DBInstanceIdentifier: meno\n"),
              new: database("", "      DBInstanceIdentifier: meno-v2\n"), action: .replace, loss: .destroyed,
              message: "Store is replaced and its data deleted (no UpdateReplacePolicy, so Delete); set UpdateReplacePolicy: Retain to keep it"),
        .init(name: "replaced RDS instance, UpdateReplacePolicy Snapshot", old: database("    UpdateReplacePolicy: Snapshot\n", "      DBInstanceIdentifier: meno\n"),
              new: database("    UpdateReplacePolicy: Snapshot\n", "      DBInstanceIdentifier: meno-v2\n"), action: .replace, loss: .kept,
              message: "Store is replaced after a final snapshot (UpdateReplacePolicy: Snapshot): the data survives only in that snapshot"),
    ]

    @Test("A removed or replaced stateful resource loses its data unless the policy that applies keeps it", arguments: policyRows)
    func policy(_ row: PolicyRow) throws {
        let change = try #require(try diff(row.old, row.new).resource("Store"))
        #expect(change.action == row.action)
        #expect(Loss(change.dataLoss) == row.loss)
        #expect(change.dataLoss?.message == row.message)
    }

    @Test("A removed resource that holds no data is no data loss")
    func statelessRemoval() throws {
        let change = try #require(try diff("Resources:\n  Topic: {Type: AWS::SNS::Topic}\n", Self.empty).resource("Topic"))
        #expect(change.action == .remove)
        #expect(change.dataLoss == nil)
    }

    @Test("A changed DeletionPolicy alone updates the resource in place")
    func policyChangeAlone() throws {
        let change = try #require(try diff(Self.table(""), Self.table("    DeletionPolicy: Retain\n")).resource("Store"))
        #expect(change.action == .update)
        #expect(!change.mayReplace)
        #expect(change.properties.map(\.path) == ["DeletionPolicy"])
        #expect(change.property("DeletionPolicy")?.new == .scalar("Retain"))
        #expect(change.dataLoss == nil)
    }
}
