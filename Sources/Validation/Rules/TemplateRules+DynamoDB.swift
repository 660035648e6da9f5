import YAML

// DynamoDB's AttributeDefinitions must list exactly the key attributes of the table and its
// secondary indexes.
extension TemplateRules {
    static let tableTypes: Set<String> = ["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"]

    /// An attribute name as written, and the node that writes it.
    struct NamedNode {
        let name: String
        let node: Node
        let path: String
    }

    static func checkDynamoDB(_ sites: [ResourceSite], into report: inout Report) {
        for site in sites {
            guard let type = site.type, tableTypes.contains(type),
                  let properties = site.value["Properties"], properties.pairs != nil else { continue }
            if type == "AWS::DynamoDB::Table" { checkThroughput(properties, site, into: &report) }
            guard let (definitions, keys) = tableAttributes(properties, path: site.path + "/Properties") else { continue }
            var defined: [String: NamedNode] = [:]
            for definition in definitions where defined[definition.name] == nil { defined[definition.name] = definition }
            var used: [String: NamedNode] = [:]
            for key in keys where used[key.name] == nil { used[key.name] = key }

            // One finding per name, at its first mention.
            var reported = Set<String>()
            for definition in definitions where used[definition.name] == nil && reported.insert(definition.name).inserted {
                report.add(dynamoUnusedAttribute,
                           "attribute '\(definition.name)' of table '\(site.id)' is defined but is not a key of the table or of any index; CloudFormation refuses it (AttributeDefinitions is inconsistent with the KeySchema): remove the definition",
                           at: definition.node, logicalId: site.id, path: definition.path)
            }
            for key in keys where defined[key.name] == nil && reported.insert(key.name).inserted {
                report.add(dynamoUndefinedKey,
                           "key attribute '\(key.name)' of table '\(site.id)' has no entry in AttributeDefinitions; add `- AttributeName: \(key.name)` with its AttributeType (S, N or B)",
                           at: key.node, logicalId: site.id, path: key.path)
            }
        }
    }

    /// The attribute definitions and the key attributes (table first, then indexes, in source
    /// order), or `nil` when any part is an intrinsic or malformed and so cannot be compared.
    static func tableAttributes(_ properties: Node, path: String) -> (definitions: [NamedNode], keys: [NamedNode])? {
        func names(_ list: Node?, path: String) -> [NamedNode]? {
            guard let list else { return [] }
            guard let items = list.items else { return nil }
            var result: [NamedNode] = []
            for (index, item) in items.enumerated() {
                guard item.pairs != nil, Intrinsic(item) == nil, let node = item["AttributeName"], isLiteral(node),
                      let name = node.scalar else { return nil }
                result.append(NamedNode(name: name, node: node, path: "\(path)/\(index)/AttributeName"))
            }
            return result
        }
        guard let keySchema = properties["KeySchema"],
              let definitions = names(properties["AttributeDefinitions"], path: path + "/AttributeDefinitions"),
              var keys = names(keySchema, path: path + "/KeySchema") else { return nil }
        for section in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
            guard let indexes = properties[section] else { continue }
            guard let items = indexes.items else { return nil }
            for (index, item) in items.enumerated() {
                guard item.pairs != nil, Intrinsic(item) == nil, let schema = item["KeySchema"],
                      let indexKeys = names(schema, path: "\(path)/\(section)/\(index)/KeySchema") else { return nil }
                keys += indexKeys
            }
        }
        return (definitions, keys)
    }
}

// A table's throughput must match its billing mode, on the table and on each global index.
extension TemplateRules {
    static func checkThroughput(_ properties: Node, _ site: ResourceSite, into report: inout Report) {
        let path = site.path + "/Properties"
        // An AWS::Include snippet at this level may bring either property.
        if properties["Fn::Transform"] != nil { return }
        let modeNode = properties["BillingMode"]
        // PROVISIONED is CloudFormation's default; a mode an intrinsic chooses is not known.
        let mode: String
        if let modeNode {
            guard let text = literalText(modeNode), Intrinsic(modeNode) == nil else { return }
            mode = text
        } else {
            mode = "PROVISIONED"
        }
        func given(_ node: Node?) -> Bool { node.map { !$0.isNull && !Intrinsic.isNoValue($0) } ?? false }
        let at = modeNode ?? site.value.pairs?.first { $0.key.scalar == "Properties" }?.key ?? site.key
        switch mode {
        case "PROVISIONED":
            if !given(properties["ProvisionedThroughput"]) {
                report.add(dynamoThroughput,
                           "table '\(site.id)' is \(modeNode == nil ? "PROVISIONED (BillingMode's default)" : "PROVISIONED") but has no ProvisionedThroughput; add {ReadCapacityUnits, WriteCapacityUnits}, or set BillingMode: PAY_PER_REQUEST",
                           at: at, logicalId: site.id, path: modeNode == nil ? path : path + "/BillingMode")
                return
            }
            guard let indexes = properties["GlobalSecondaryIndexes"], Intrinsic(indexes) == nil, let items = indexes.items else { return }
            for (offset, index) in items.enumerated() where index.pairs != nil && Intrinsic(index) == nil {
                guard !given(index["ProvisionedThroughput"]) else { continue }
                let name = literalText(index["IndexName"]).map { "index '\($0)'" } ?? "index \(offset)"
                report.add(dynamoThroughput,
                           "\(name) of PROVISIONED table '\(site.id)' has no ProvisionedThroughput; each global secondary index of a provisioned table needs its own",
                           at: index, logicalId: site.id, path: "\(path)/GlobalSecondaryIndexes/\(offset)")
            }
        case "PAY_PER_REQUEST":
            // CloudFormation passes a throughput of 0/0 along harmlessly; any other number is refused.
            guard let throughput = properties["ProvisionedThroughput"], Intrinsic(throughput) == nil else { return }
            for key in ["ReadCapacityUnits", "WriteCapacityUnits"] {
                guard let node = throughput[key], let text = literalText(node), Intrinsic(node) == nil,
                      let units = wholeNumber(text), units != 0 else { continue }
                report.add(dynamoThroughput,
                           "table '\(site.id)' is PAY_PER_REQUEST but sets \(key) to \(units), which DynamoDB refuses for on-demand tables; remove ProvisionedThroughput",
                           at: node, logicalId: site.id, path: path + "/ProvisionedThroughput/" + key)
                return
            }
        default:
            return  // a mode outside the enum is the schema family's
        }
    }
}
