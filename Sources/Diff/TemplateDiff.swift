import Contract
import Validation
import YAML

/// What deploying NEW over OLD does, resource by resource, and what it costs: replacements
/// (and why), data destroyed, the WebSocket URL changing, parameters and outputs.
public struct TemplateDiff: Sendable {
    /// What CloudFormation does with one logical id.
    public enum Action: String, Sendable, CaseIterable {
        case add, remove, update, replace
        /// A changed `Type` on the same logical id: "Update of resource type is not permitted".
        case refused
    }

    /// Whether a property's change replaces the resource.
    public enum Replacement: String, Sendable {
        case never, always, conditional
    }

    /// One changed property (or resource attribute such as `DeletionPolicy`).
    public struct PropertyChange: Sendable {
        /// `KeySchema`, `VpcConfig.SubnetIds`, `DeletionPolicy`.
        public var path: String
        /// `nil`: absent on that side.
        public var old: DiffValue?
        public var new: DiffValue?
        public var replacement: Replacement
        /// Under an `Fn::If` menort could not decide: the change may not happen.
        public var possible: Bool
        /// Why it replaces, or why it changes when its written value did not.
        public var reason: String?
    }

    /// What a removal or replacement does to the data a resource holds.
    public struct DataLoss: Sendable {
        /// Whether the data is destroyed (`false`: a policy keeps it, and `message` says how).
        public var destroyed: Bool
        public var message: String
    }

    /// One logical id's fate.
    public struct ResourceChange: Sendable {
        public var logicalId: String
        public var type: String
        /// The old type, when a refused change replaced it.
        public var oldType: String?
        public var action: Action
        public var properties: [PropertyChange]
        public var dataLoss: DataLoss?
        public var reasons: [String]
        /// For `update`: some change may replace the resource (a conditional createOnly
        /// property, or a replacing change under an undecided condition).
        public var mayReplace: Bool
    }

    /// A parameter or output that differs.
    public struct EntryChange: Sendable {
        public var name: String
        public var change: String
        public var old: DiffValue?
        public var new: DiffValue?
    }

    /// Something that changes the URL clients connect to.
    public struct EndpointChange: Sendable {
        public var message: String
        /// The new URL, or its shape where the new API id is known only after the deploy.
        public var newURL: String
        /// The settings that hold the URL (the lines `menort endpoints` prints).
        public var settings: [String]
    }

    public var resources: [ResourceChange] = []
    public var parameters: [EntryChange] = []
    public var outputs: [EntryChange] = []
    public var endpointChanges: [EndpointChange] = []

    /// Whether the two templates deploy the same stack.
    public var isEmpty: Bool { resources.isEmpty && parameters.isEmpty && outputs.isEmpty && endpointChanges.isEmpty }

    /// How many resources take each action, and the other classes of change.
    public var counts: [String: Int] {
        var counts: [String: Int] = [:]
        for action in Action.allCases { counts[action.rawValue] = resources.filter { $0.action == action }.count }
        counts["mayReplace"] = resources.filter(\.mayReplace).count
        counts["dataLoss"] = resources.filter { $0.dataLoss?.destroyed == true }.count
        counts["endpoint"] = endpointChanges.count
        counts["parameters"] = parameters.count
        counts["outputs"] = outputs.count
        return counts
    }
}

/// The region and URL pieces an endpoint change is written with.
public struct DiffSettings: Sendable {
    public var supplied: [SuppliedParameter]
    public var region: String?

    public init(supplied: [SuppliedParameter] = [], region: String? = nil) {
        self.supplied = supplied
        self.region = region
    }
}

extension TemplateDiff {
    /// Compares `old` (what is deployed) with `new` (what the deploy sends).
    public static func compare(old: SourceTemplate, new: SourceTemplate, settings: DiffSettings = DiffSettings()) -> TemplateDiff {
        var comparison = Comparison(old: old, new: new, settings: settings)
        return comparison.run()
    }
}

/// Resources that hold data CloudFormation destroys with them.
enum StatefulTypes {
    static let types: Set<String> = [
        "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::Serverless::SimpleTable",
        "AWS::S3::Bucket", "AWS::Logs::LogGroup", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster",
        "AWS::EFS::FileSystem", "AWS::Kinesis::Stream", "AWS::SQS::Queue", "AWS::Cognito::UserPool",
        "AWS::ElastiCache::ReplicationGroup", "AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain",
        "AWS::Neptune::DBCluster", "AWS::DocDB::DBCluster", "AWS::Timestream::Table", "AWS::SecretsManager::Secret",
        "AWS::KMS::Key", "AWS::EC2::Volume", "AWS::Backup::BackupVault",
    ]

    /// The DeletionPolicy CloudFormation applies when none is written: `Snapshot` for RDS
    /// clusters and for instances outside a cluster (the DeletionPolicy documentation), else
    /// `Delete`. Only removals: that page says the default "doesn't apply to resources whose
    /// physical instance is replaced", and without an UpdateReplacePolicy "CloudFormation then
    /// deletes the old resource" (the UpdateReplacePolicy documentation).
    static func defaultPolicy(type: String, properties: Node?) -> String {
        if type == "AWS::RDS::DBCluster" { return "Snapshot" }
        if type == "AWS::RDS::DBInstance", properties?["DBClusterIdentifier"] == nil { return "Snapshot" }
        return "Delete"
    }
}

private struct Comparison {
    let old: SourceTemplate
    let new: SourceTemplate
    let settings: DiffSettings
    var oldValues: ValueReader
    var newValues: ValueReader
    var diff = TemplateDiff()

    init(old: SourceTemplate, new: SourceTemplate, settings: DiffSettings) {
        self.old = old
        self.new = new
        self.settings = settings
        oldValues = ValueReader(template: old, supplied: settings.supplied, region: settings.region)
        newValues = ValueReader(template: new, supplied: settings.supplied, region: settings.region)
    }

    /// Resource attributes compared besides `Properties` (never a replacement themselves).
    static let attributes = ["DeletionPolicy", "UpdateReplacePolicy", "DependsOn", "Condition", "Metadata", "UpdatePolicy", "CreationPolicy"]

    mutating func run() -> TemplateDiff {
        let oldIds = present(old, reader: &oldValues)
        let newIds = present(new, reader: &newValues)
        let oldSet = Set(oldIds)
        let newSet = Set(newIds)
        var changes: [String: TemplateDiff.ResourceChange] = [:]
        var order: [String] = []
        // Kept resources' property values, for the cascade.
        var kept: [String: (type: String, properties: [String: DiffValue])] = [:]

        for id in newIds {
            guard let newEntry = new.resource(id) else { continue }
            let newType = newEntry.type ?? "(unreadable)"
            guard oldSet.contains(id), let oldEntry = old.resource(id) else {
                changes[id] = TemplateDiff.ResourceChange(logicalId: id, type: newType, oldType: nil, action: .add, properties: [], dataLoss: nil, reasons: [], mayReplace: false)
                order.append(id)
                continue
            }
            let oldType = oldEntry.type ?? "(unreadable)"
            if oldType != newType {
                var change = TemplateDiff.ResourceChange(logicalId: id, type: newType, oldType: oldType, action: .refused, properties: [], dataLoss: nil, reasons: ["the Type changes from \(oldType) to \(newType) on the same logical id; CloudFormation refuses the update (\"Update of resource type is not permitted\"): rename the logical id to replace it"], mayReplace: false)
                change.dataLoss = nil
                changes[id] = change
                order.append(id)
                continue
            }
            let oldProperties = properties(of: oldEntry, in: old, reader: &oldValues)
            let newProperties = properties(of: newEntry, in: new, reader: &newValues)
            kept[id] = (newType, newProperties)
            var propertyChanges: [TemplateDiff.PropertyChange] = []
            // Changes that replace (or may replace) the role SAM makes for a function without one.
            var roleChanges: [TemplateDiff.PropertyChange] = []
            let makesRole = newType == "AWS::Serverless::Function" && oldProperties["Role"] == nil && newProperties["Role"] == nil
            for path in Comparison.changedPaths(oldProperties, newProperties, prefix: []) {
                let oldValue = Comparison.lookup(oldProperties, path)
                let newValue = Comparison.lookup(newProperties, path)
                let possible: Bool
                switch Comparison.difference(oldValue, newValue) {
                case .none: continue  // written differently, deployed the same whichever way the conditions go
                case .certain: possible = false
                case .possible: possible = true
                }
                let answer = ReplacementRules.answer(type: newType, path: path)
                let change = TemplateDiff.PropertyChange(path: path.joined(separator: "."), old: oldValue, new: newValue, replacement: answer.replacement, possible: possible, reason: answer.reason)
                propertyChanges.append(change)
                if makesRole, let role = answer.role, role.replacement != .never {
                    var onRole = change
                    onRole.replacement = role.replacement
                    onRole.reason = role.reason
                    roleChanges.append(onRole)
                }
            }
            for attribute in Comparison.attributes {
                var before = oldEntry.value[attribute].flatMap { oldValues.value($0) }
                var after = newEntry.value[attribute].flatMap { newValues.value($0) }
                if attribute == "DependsOn" {
                    before = before.map(Comparison.dependencies)
                    after = after.map(Comparison.dependencies)
                }
                if before != after {
                    propertyChanges.append(TemplateDiff.PropertyChange(path: attribute, old: before, new: after, replacement: .never, possible: false, reason: nil))
                }
            }
            guard !propertyChanges.isEmpty else { continue }
            changes[id] = Comparison.classify(id: id, type: newType, propertyChanges)
            order.append(id)
            if !roleChanges.isEmpty {
                // SAM's role is named <function>Role; it is not in the template, so not in `kept`.
                var role = Comparison.classify(id: id + "Role", type: ReplacementRules.samRoleType, roleChanges)
                role.reasons.insert("the role SAM makes for \(id), which has no Role of its own", at: 0)
                changes[role.logicalId] = role
                order.append(role.logicalId)
            }
        }
        for id in oldIds where !newSet.contains(id) {
            guard let entry = old.resource(id) else { continue }
            changes[id] = TemplateDiff.ResourceChange(logicalId: id, type: entry.type ?? "(unreadable)", oldType: nil, action: .remove, properties: [], dataLoss: nil, reasons: [], mayReplace: false)
            order.append(id)
        }

        // Refused before the cascade: a refused replacement changes nothing that names it.
        refuseCustomNamedReplacements(&changes, kept: kept)
        cascade(&changes, &order, kept: kept)
        refuseCustomNamedReplacements(&changes, kept: kept)
        markRenames(&changes, order)

        for id in order {
            guard var change = changes[id] else { continue }
            change.dataLoss = dataLoss(change)
            diff.resources.append(change)
        }
        // Replacements and data loss first, as a reader wants them.
        diff.resources = Comparison.ranked(diff.resources)
        compareParameters()
        compareOutputs()
        var watch = EndpointWatch(old: old, new: new, diff: diff, oldValues: oldValues, newValues: newValues, region: settings.region)
        diff.endpointChanges = watch.changes()
        return diff
    }

    /// Logical ids that exist with these parameters (a `Condition` decided false removes one).
    func present(_ template: SourceTemplate, reader: inout ValueReader) -> [String] {
        template.resources.compactMap { entry in
            if let condition = entry.value["Condition"]?.scalar, reader.decide(condition) == false { return nil }
            return entry.id
        }
    }

    /// The resource's properties as the deploy sees them. An `AWS::Serverless::*` resource
    /// gets its type's `Globals` section first, less what its `IgnoreGlobals` drops, merged as
    /// the SAM transform merges it: the resource's own value wins, mappings merge key by key,
    /// lists are the global items then the resource's.
    func properties(of entry: SourceTemplate.Entry, in template: SourceTemplate, reader: inout ValueReader) -> [String: DiffValue] {
        var members: [String: DiffValue] = [:]
        if let node = entry.properties, case .map(let own)? = reader.value(node) { members = own }
        let prefix = "AWS::Serverless::"
        guard let type = entry.type, type.hasPrefix(prefix),
              let section = template.root["Globals"]?[String(type.dropFirst(prefix.count))],
              case .map(var globals)? = reader.value(section) else { return members }
        if let ignore = entry.value["IgnoreGlobals"] {
            if ignore.scalar == "*" { return members }
            for key in ignore.items?.compactMap(\.scalar) ?? [] { globals[key] = nil }
        }
        return globals.merging(members) { Comparison.mergeGlobal($0, $1) }
    }

    /// SAM's merge of a `Globals` value with the resource's own.
    static func mergeGlobal(_ global: DiffValue, _ own: DiffValue) -> DiffValue {
        switch (global, own) {
        case (.map(let global), .map(let own)): return .map(global.merging(own) { mergeGlobal($0, $1) })
        case (.list(let global), .list(let own)): return .list(global + own)
        default: return own
        }
    }

    /// `DependsOn: A` is `DependsOn: [A]`, and the order of a `DependsOn` list means nothing.
    static func dependencies(_ value: DiffValue) -> DiffValue {
        switch value {
        case .scalar: return .list([value])
        case .list(let items): return .list(items.sorted { $0.brief < $1.brief })
        default: return value
        }
    }

    /// The paths where two property maps differ: into nested mappings, not into lists or calls.
    static func changedPaths(_ old: [String: DiffValue], _ new: [String: DiffValue], prefix: [String]) -> [[String]] {
        var paths: [[String]] = []
        for key in Set(old.keys).union(new.keys).sorted() {
            let before = old[key]
            let after = new[key]
            guard before != after else { continue }
            if case .map(let innerOld)? = before, case .map(let innerNew)? = after {
                paths += changedPaths(innerOld, innerNew, prefix: prefix + [key])
            } else {
                paths.append(prefix + [key])
            }
        }
        return paths
    }

    static func lookup(_ properties: [String: DiffValue], _ path: [String]) -> DiffValue? {
        guard let first = path.first, var value = properties[first] else { return nil }
        for key in path.dropFirst() {
            guard case .map(let members) = value, let next = members[key] else { return nil }
            value = next
        }
        return value
    }

    /// Whether two written values deploy differently.
    enum Difference { case none, possible, certain }

    /// Whether `old` and `new` differ whichever way their undecided conditions go (`certain`),
    /// only some ways (`possible`), or no way (`none`). Each condition is tried both ways, as
    /// if independent: a superset of what can happen, so `certain` and `none` are never wrong.
    static func difference(_ old: DiffValue?, _ new: DiffValue?) -> Difference {
        let conditions = (old?.undecidedConditions ?? []).union(new?.undecidedConditions ?? []).sorted()
        guard !conditions.isEmpty else { return .certain }
        // Past 8 conditions (256 ways) the answer is left at possible.
        guard conditions.count <= 8 else { return .possible }
        var differs = false
        var same = false
        for mask in 0..<(1 << conditions.count) {
            let holds = Dictionary(uniqueKeysWithValues: conditions.enumerated().map { ($1, mask & (1 << $0) != 0) })
            if old?.deciding(holds) == new?.deciding(holds) { same = true } else { differs = true }
            if same && differs { return .possible }
        }
        return differs ? .certain : .none
    }

    static func classify(id: String, type: String, _ properties: [TemplateDiff.PropertyChange]) -> TemplateDiff.ResourceChange {
        let certain = properties.filter { $0.replacement == .always && !$0.possible }
        let maybe = properties.filter { ($0.replacement == .always && $0.possible) || $0.replacement == .conditional }
        var reasons: [String] = []
        for change in certain { reasons.append("\(change.path) changes: \(change.reason ?? "a create-only property: Update requires: Replacement")") }
        for change in maybe {
            let why = change.replacement == .conditional
                ? (change.reason ?? "replacement in some cases (conditionalCreateOnlyProperties)")
                : "replaces the resource if the condition it is under holds"
            reasons.append("\(change.path) may change: \(why)")
        }
        return TemplateDiff.ResourceChange(logicalId: id, type: type, oldType: nil, action: certain.isEmpty ? .update : .replace, properties: properties, dataLoss: nil, reasons: reasons, mayReplace: certain.isEmpty && !maybe.isEmpty)
    }

    /// A replaced resource gets a new physical id (and ARN): every kept resource whose
    /// properties name it changes too, and may be replaced in turn (a route whose API is
    /// replaced is replaced: `ApiId` is create-only).
    mutating func cascade(_ changes: inout [String: TemplateDiff.ResourceChange], _ order: inout [String], kept: [String: (type: String, properties: [String: DiffValue])]) {
        var replaced = Set(changes.values.filter { $0.action == .replace }.map(\.logicalId))
        var settled = Set<String>()
        var frontier = replaced
        while !frontier.isEmpty {
            var next = Set<String>()
            for (id, resource) in kept.sorted(by: { $0.key < $1.key }) where !replaced.contains(id) {
                for (key, value) in resource.properties.sorted(by: { $0.key < $1.key }) {
                    var names = Set<String>()
                    value.references(into: &names)
                    let causes = names.intersection(frontier).sorted()
                    guard let cause = causes.first, !settled.contains("\(id).\(key).\(cause)") else { continue }
                    settled.insert("\(id).\(key).\(cause)")
                    let answer = ReplacementRules.answer(type: resource.type, path: [key])
                    let reason = "\(key) names \(cause), which is replaced, so its value changes" + (answer.replacement == .always ? "; \(answer.reason ?? "\(key) is create-only")" : "")
                    var properties = changes[id]?.properties ?? []
                    // A property also edited in the template keeps the value it had.
                    let written = properties.first { $0.path == key }?.old
                    let change = TemplateDiff.PropertyChange(path: key, old: written ?? value, new: value, replacement: answer.replacement, possible: false, reason: reason)
                    properties.removeAll { $0.path == key }
                    properties.append(change)
                    if changes[id] == nil { order.append(id) }
                    changes[id] = Comparison.classify(id: id, type: resource.type, properties)
                    if changes[id]?.action == .replace, !replaced.contains(id) {
                        replaced.insert(id)
                        next.insert(id)
                    }
                }
            }
            frontier = next
        }
    }

    /// CloudFormation does not replace a resource whose name the template sets and the update
    /// keeps: the new resource could not take the name while the old one holds it. Each
    /// type's documentation says so of its name property ("If you specify a name, you cannot
    /// perform updates that require replacement of this resource").
    static let customNames: [String: String] = [
        "AWS::DynamoDB::Table": "TableName", "AWS::Serverless::SimpleTable": "TableName",
        "AWS::S3::Bucket": "BucketName", "AWS::Lambda::Function": "FunctionName",
        "AWS::Serverless::Function": "FunctionName", "AWS::IAM::Role": "RoleName",
        "AWS::Logs::LogGroup": "LogGroupName", "AWS::SQS::Queue": "QueueName", "AWS::SNS::Topic": "TopicName",
        "AWS::Kinesis::Stream": "Name", "AWS::RDS::DBInstance": "DBInstanceIdentifier",
        "AWS::RDS::DBCluster": "DBClusterIdentifier", "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
        "AWS::Events::Rule": "Name", "AWS::StepFunctions::StateMachine": "StateMachineName",
    ]

    func refuseCustomNamedReplacements(_ changes: inout [String: TemplateDiff.ResourceChange], kept: [String: (type: String, properties: [String: DiffValue])]) {
        for (id, change) in changes where change.action == .replace {
            guard let property = Comparison.customNames[change.type], let name = kept[id]?.properties[property],
                  !change.properties.contains(where: { $0.path == property || $0.path.hasPrefix(property + ".") }) else { continue }
            var refused = change
            refused.action = .refused
            refused.reasons.append("\(property) stays \(name.brief): CloudFormation cannot replace a resource with a name the template sets (\"cannot update a stack when a custom-named resource requires replacing\"); the update fails. Change \(property) too, or remove it, to replace \(id)")
            changes[id] = refused
        }
    }

    /// A removed logical id and an added one of the same type, alone of their type: most
    /// likely a rename, which CloudFormation carries out as a new resource and a deletion.
    mutating func markRenames(_ changes: inout [String: TemplateDiff.ResourceChange], _ order: [String]) {
        let removed = order.filter { changes[$0]?.action == .remove }
        let added = order.filter { changes[$0]?.action == .add }
        // A resource added under a name a removed one holds: CloudFormation creates before it
        // deletes, so the create finds the name taken.
        for target in added {
            guard let type = changes[target]?.type, let property = Comparison.customNames[type],
                  let node = new.resource(target)?.properties?[property], let name = newValues.value(node) else { continue }
            for id in removed where changes[id]?.type == type {
                guard let oldNode = old.resource(id)?.properties?[property], oldValues.value(oldNode) == name else { continue }
                changes[target]?.action = .refused
                changes[target]?.reasons.append("\(property) \(name.brief) is held by \(id), which CloudFormation deletes only after creating \(target): the create fails (the name exists). Deploy the removal first, or give \(target) another \(property)")
            }
        }
        for id in removed {
            guard let type = changes[id]?.type else { continue }
            let removedOfType = removed.filter { changes[$0]?.type == type }
            let addedOfType = added.filter { changes[$0]?.type == type }
            guard removedOfType.count == 1, addedOfType.count == 1, let target = addedOfType.first else { continue }
            changes[id]?.reasons.append("the logical id becomes \(target): CloudFormation creates \(target), then deletes \(id)")
            changes[target]?.reasons.append("the logical id was \(id): a new resource, not an update of it")
        }
    }

    func dataLoss(_ change: TemplateDiff.ResourceChange) -> TemplateDiff.DataLoss? {
        guard StatefulTypes.types.contains(change.oldType ?? change.type) else { return nil }
        let entry: SourceTemplate.Entry?
        let attribute: String
        let verb: String
        switch change.action {
        case .remove:
            entry = old.resource(change.logicalId)
            attribute = "DeletionPolicy"
            verb = "removed"
        case .replace:
            entry = new.resource(change.logicalId)
            attribute = "UpdateReplacePolicy"
            verb = "replaced"
        case .update where change.mayReplace:
            // A possible replacement of a stateful resource is a possible loss: said, so
            // `--fail-on data-loss` stops it rather than trusting the case it may be.
            entry = new.resource(change.logicalId)
            attribute = "UpdateReplacePolicy"
            verb = "possibly replaced"
        default:
            return nil
        }
        let written = entry?.value[attribute]?.scalar
        let policy = written ?? (change.action == .remove ? StatefulTypes.defaultPolicy(type: change.type, properties: entry?.properties) : "Delete")
        let source = written == nil ? "no \(attribute), so \(policy)" : "\(attribute): \(policy)"
        switch policy {
        case "Retain", "RetainExceptOnCreate":
            return TemplateDiff.DataLoss(destroyed: false, message: "\(change.logicalId) is \(verb) but kept (\(source)): the old \(change.type) stays in the account, outside the stack, with its data")
        case "Snapshot":
            return TemplateDiff.DataLoss(destroyed: false, message: "\(change.logicalId) is \(verb) after a final snapshot (\(source)): the data survives only in that snapshot")
        default:
            if change.action == .update {
                return TemplateDiff.DataLoss(destroyed: true, message: "\(change.logicalId) may be replaced, and then its data deleted (\(source)); set \(attribute): Retain to keep it")
            }
            return TemplateDiff.DataLoss(destroyed: true, message: "\(change.logicalId) is \(verb) and its data deleted (\(source)); set \(attribute): Retain to keep it")
        }
    }

    static func ranked(_ resources: [TemplateDiff.ResourceChange]) -> [TemplateDiff.ResourceChange] {
        func rank(_ change: TemplateDiff.ResourceChange) -> Int {
            if change.dataLoss?.destroyed == true { return 0 }
            switch change.action {
            case .refused: return 1
            case .replace: return 2
            case .remove: return 3
            case .update: return change.mayReplace ? 4 : 5
            case .add: return 6
            }
        }
        return resources.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    mutating func compareParameters() {
        let names = new.parameters.map(\.id) + old.parameters.map(\.id).filter { new.parameter($0) == nil }
        for name in names {
            let before = old.parameter(name)
            let after = new.parameter(name)
            switch (before, after) {
            case (nil, _?):
                diff.parameters.append(.init(name: name, change: "added", old: nil, new: newValues.shown(name)))
            case (_?, nil):
                diff.parameters.append(.init(name: name, change: "removed", old: oldValues.shown(name), new: nil))
            case (let before?, let after?):
                let oldValue = oldValues.parameters[name]
                let newValue = newValues.parameters[name]
                if oldValue != newValue {
                    diff.parameters.append(.init(name: name, change: "value", old: oldValues.shown(name), new: newValues.shown(name)))
                } else if oldValues.value(before.value) != newValues.value(after.value) {
                    diff.parameters.append(.init(name: name, change: "definition", old: nil, new: nil))
                }
            case (nil, nil):
                break
            }
        }
    }

    mutating func compareOutputs() {
        let names = new.outputs.map(\.id) + old.outputs.map(\.id).filter { id in !new.outputs.contains { $0.id == id } }
        for name in names {
            let oldEntry = old.outputs.first { $0.id == name }
            let newEntry = new.outputs.first { $0.id == name }
            let before = oldEntry.flatMap { oldValues.value($0.value) }
            let after = newEntry.flatMap { newValues.value($0.value) }
            if before == after, let after {
                // The same text can still change: a replaced resource it names has a new id.
                var names = Set<String>()
                after.references(into: &names)
                let replaced = diff.resources.filter { $0.action == .replace && names.contains($0.logicalId) }.map(\.logicalId).sorted()
                if !replaced.isEmpty {
                    diff.outputs.append(.init(name: name, change: "value (\(replaced.joined(separator: ", ")) replaced)", old: nil, new: nil))
                }
                continue
            }
            guard before != after else { continue }
            guard let oldEntry, let newEntry else {
                diff.outputs.append(.init(name: name, change: before == nil ? "added" : "removed", old: oldEntry?.value["Value"].flatMap { oldValues.value($0) }, new: newEntry?.value["Value"].flatMap { newValues.value($0) }))
                continue
            }
            // The value is what consumers read; the rest (Description, Export, Condition) is named.
            let oldValue = oldEntry.value["Value"].flatMap { oldValues.value($0) }
            let newValue = newEntry.value["Value"].flatMap { newValues.value($0) }
            if oldValue != newValue {
                diff.outputs.append(.init(name: name, change: "value", old: oldValue, new: newValue))
            } else {
                let keys = ["Description", "Export", "Condition"].filter { key in
                    oldEntry.value[key].flatMap { oldValues.value($0) } != newEntry.value[key].flatMap { newValues.value($0) }
                }
                diff.outputs.append(.init(name: name, change: keys.joined(separator: ", "), old: nil, new: nil))
            }
        }
    }
}
