import CloudFormation
import YAML

extension StackConfig {
    /// The first lines of every rendered template: libyaml cannot emit comments, so they
    /// are prepended to its output.
    public static let header = """
        # Rendered by `menort render`: edit menort.yaml (or menort itself), not this file.
        # `menort render --check template.yaml` fails when this file is out of date.

        """

    /// `template.yaml`, byte for byte the same for the same config.
    public func render() throws(StackError) -> String {
        let template = try template()
        let node: Node
        do {
            node = try template.node()
        } catch {
            throw .model(error)
        }
        do {
            return StackConfig.header + (try Emitter.emit(node))
        } catch {
            throw .emitter(error)
        }
    }
}
