import Diff
import Testing

/// The role SAM makes for a function without a `Role` of its own (`<Function>Role`) is a
/// resource of its own: what replaces it does not replace the function.
@Suite("menort diff: the role SAM makes for a function")
struct SAMRoleTests {
    static func template(_ extra: String, rolePath: String, policy: Bool = false) -> String {
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Chat:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: nodejs24.x
              Handler: index.handler
              CodeUri: s3://artifacts/chat.zip
              RolePath: \(rolePath)
        \(extra)
        """ + (policy ? """

              Audit:
                Type: AWS::IAM::Policy
                Properties:
                  PolicyName: audit
                  Roles: [!Ref ChatRole]
                  PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'logs:*', Resource: '*'}]}
            """ : "")
    }

    @Test("A changed RolePath replaces the role SAM makes, and the function is only updated")
    func rolePathReplacesTheRole() throws {
        let result = try diff(Self.template("", rolePath: "/realtime/"), Self.template("", rolePath: "/chat/"))
        #expect(result.actions == ["ChatRole": .replace, "Chat": .update])
        let role = try #require(result.resource("ChatRole"))
        #expect(role.type == "AWS::IAM::Role")
        #expect(role.reasons == [
            "the role SAM makes for Chat, which has no Role of its own",
            "RolePath changes: SAM writes it to AWS::IAM::Role: 'Path' is createOnly in AWS::IAM::Role's schema: changing it replaces the resource",
        ])
        let function = try #require(result.resource("Chat"))
        #expect(function.properties.map(\.path) == ["RolePath"])
        #expect(function.properties.first?.replacement == .never)
        #expect(function.mayReplace == false)
        #expect(result.summaryLine == "1 replaced, 1 updated")
    }

    @Test("A function with a Role of its own has no role SAM makes: its RolePath changes nothing that is replaced")
    func ownRoleMeansNoSAMRole() throws {
        let role = "      Role: arn:aws:iam::123456789012:role/chat"
        let result = try diff(Self.template(role, rolePath: "/realtime/"), Self.template(role, rolePath: "/chat/"))
        #expect(result.actions == ["Chat": .update])
    }

    @Test("A resource that names SAM's role is changed by its replacement")
    func replacementCascades() throws {
        let result = try diff(Self.template("", rolePath: "/realtime/", policy: true), Self.template("", rolePath: "/chat/", policy: true))
        #expect(result.actions["ChatRole"] == .replace)
        #expect(result.actions["Audit"] == .update)
    }
}
