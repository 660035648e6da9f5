import YAML

/// What `--version` prints.
package enum MenortVersion {
    package static let number = "0.1.0"
    package static var text: String { "menort \(number) (libyaml \(LibYAML.version))" }
}
