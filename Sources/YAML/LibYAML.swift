import CYAML

/// Facts about the libyaml this binary is linked against.
public enum LibYAML {
    /// The linked libyaml's version, e.g. `0.2.5`.
    public static var version: String {
        guard let text = yaml_get_version_string() else { return "unknown" }
        return String(cString: text)
    }
}
