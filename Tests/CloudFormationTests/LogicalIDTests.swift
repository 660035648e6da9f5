import Testing
import CloudFormation

@Suite("Logical ids")
struct LogicalIDTests {
    @Test("An alphanumeric id of up to 255 characters is accepted", arguments: ["A", "ChatSendFunction", "a1B2", String(repeating: "x", count: 255)])
    func accepts(_ raw: String) throws {
        #expect(try LogicalID(raw).rawValue == raw)
    }

    @Test(
        "An id CloudFormation would refuse is refused with the reason",
        arguments: [
            ("", "it is empty"),
            ("Chat-Send", "only ASCII letters and digits are allowed"),
            ("chat.send", "only ASCII letters and digits are allowed"),
            ("Ünicode", "only ASCII letters and digits are allowed"),
            (String(repeating: "x", count: 256), "it is longer than 255 characters"),
        ])
    func refuses(_ raw: String, _ reason: String) {
        #expect(throws: ModelError.invalidLogicalID(raw, reason)) { try LogicalID(raw) }
    }
}
