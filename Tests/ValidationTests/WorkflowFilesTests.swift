import Foundation
import Testing
import YAML

/// The files other tools read (pre-commit, GitHub Actions), read with menort's own parser.
@Suite("workflow files")
struct WorkflowFilesTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: WebSocketFixture.root + "/" + path, encoding: .utf8)
    }

    @Test(".pre-commit-hooks.yaml offers menort-validate and menort-render-check, running the system's menort")
    func preCommitHooks() throws {
        let hooks = try #require(try Parser.parse(try Self.text(".pre-commit-hooks.yaml"))?.items)
        #expect(hooks.map { $0["id"]?.scalar } == ["menort-validate", "menort-render-check"])
        #expect(hooks.map { $0["entry"]?.scalar } == ["menort validate", "menort render --check template.yaml"])
        #expect(hooks.map { $0["language"]?.scalar } == ["system", "system"])
        #expect(hooks.map { $0["pass_filenames"]?.scalar } == ["true", "false"])
        #expect(hooks[0]["files"]?.scalar == "template\\.ya?ml$")
        // Every hook has the keys pre-commit requires.
        for hook in hooks {
            for key in ["id", "name", "entry", "language"] { #expect(hook[key]?.scalar?.isEmpty == false, "\(key)") }
        }
    }

    @Test("The documented GitHub Actions workflow builds menort, checks the render, uploads validate's SARIF, then gates on errors")
    func githubActions() throws {
        let page = try Self.text("docs/github-actions.md")
        let block = try #require(page.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```\n").first)
        let workflow = try #require(try Parser.parse(block))
        #expect(workflow["permissions"]?["security-events"]?.scalar == "write")
        let steps = try #require(workflow["jobs"]?["menort"]?["steps"]?.items)
        let runs = steps.compactMap { $0["run"]?.scalar }.joined(separator: "\n")
        let uses = steps.compactMap { $0["uses"]?.scalar }
        #expect(uses == ["actions/checkout@v4", "github/codeql-action/upload-sarif@v3"])
        #expect(runs.contains("apt-get install -y -q libyaml-dev"))
        #expect(runs.contains("make install PREFIX=\"$HOME/.local\""))
        #expect(runs.contains("menort render --check templates/realtime/template.yaml --config templates/realtime/menort.yaml"))
        #expect(runs.contains("menort validate --format sarif --ignore stack-code-uri templates/realtime/template.yaml > menort.sarif || [ $? -eq 1 ]"))
        let upload = try #require(steps.first { $0["uses"]?.scalar?.hasPrefix("github/codeql-action/upload-sarif") == true })
        #expect(upload["with"]?["sarif_file"]?.scalar == "menort.sarif")
        #expect(upload["if"]?.scalar == "always()")
        // The SARIF is written before it is uploaded, and the gate comes after the upload.
        let names = steps.map { $0["name"]?.scalar ?? $0["uses"]?.scalar ?? "" }
        let written = try #require(names.firstIndex(of: "menort validate (SARIF)"))
        let uploaded = try #require(names.firstIndex(of: "Upload SARIF"))
        #expect(written < uploaded)
        #expect(names.last == "Fail on errors")
    }
}
