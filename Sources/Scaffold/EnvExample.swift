import CloudFormation
import Validation

/// `.env.example`: a template's deploy parameters as `menort params --env-file` and `menort
/// validate --env-file` read them. Required parameters are lines with an empty value (''), to fill
/// in; parameters with a default are commented lines showing it. The lines themselves are
/// `menort params --format env`'s (`Overrides`), so the file reads back exactly.
public enum EnvExample {
    /// The file's name.
    public static let fileName = ".env.example"

    /// The file's text for `parameters`, in their order.
    public static func text(parameters: [Parameter]) throws(OverridesError) -> String {
        let values = parameters.map {
            ParameterValue(name: $0.id.rawValue, value: $0.defaultValue ?? "", origin: nil, noEcho: $0.noEcho)
        }
        let rendered = try Overrides.render(values, as: .env)
        // One line per value: the env format escapes line breaks inside values.
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        precondition(lines.count == parameters.count, "menort params --format env wrote \(lines.count) lines for \(parameters.count) parameters")
        var text = """
            # The deploy values of the realtime stack: template.yaml's parameters, as
            # `menort params --env-file .env` and `menort validate --env-file .env` read them.
            # Copy this file to .env (keep .env out of version control) and fill in the empty
            # values; a commented line shows the template's default: uncomment it to change it.

            """
        for (parameter, line) in zip(parameters, lines) {
            let description = (parameter.description ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
            let title = parameter.id.rawValue + (parameter.isRequired ? " (required)" : "")
            text += "\n# \(title)\(description.isEmpty ? "" : ": \(description)")\n"
            text += (parameter.isRequired ? "" : "# ") + line + "\n"
        }
        return text
    }
}
