/// `trainable: false` written in a layer's settings (`conv2d: {filters: 8, kernel: 3,
/// trainable: false}`) or next to the layer (`{dense: 16, trainable: false}`), in a list model or
/// a graph (inside repeated blocks too): taken out of the tree before the layers are read, and
/// returned as the layers to freeze.
extension YAMLTree {
    /// The tree without `trainable` keys in the model's layer settings, and the layers they froze.
    func extractingTrainable(file: String) throws -> (YAMLTree, [LayerSelector]) {
        guard case let .mapping(entries, mark) = self, let modelIndex = entries.firstIndex(where: { $0.key == "model" }) else {
            return (self, [])
        }
        var frozen: [LayerSelector] = []
        var model = entries[modelIndex].value
        switch model {
        case let .sequence(items, listMark):
            var kept: [YAMLTree] = []
            for (index, item) in items.enumerated() {
                let (layer, trainable, site) = try Self.strippingTrainable(item, path: "model[\(index)]", file: file)
                if !trainable { frozen.append(.layer(index, site: site)) }
                kept.append(layer)
            }
            model = .sequence(kept, listMark)
        case let .mapping(modelEntries, modelMark):
            guard let graphIndex = modelEntries.firstIndex(where: { $0.key == "graph" }) else { return (self, []) }
            var graph = modelEntries
            graph[graphIndex].value = try Self.strippingGraph(graph[graphIndex].value, prefixes: [""], path: "model.graph", file: file, into: &frozen)
            model = .mapping(graph, modelMark)
        case .scalar:
            return (self, [])
        }
        var changed = entries
        changed[modelIndex].value = model
        return (.mapping(changed, mark), frozen)
    }

    /// A graph's node list without `trainable` keys; a node marked untrainable is frozen under
    /// each of its names (`prefixes`: one per repetition of the blocks around it).
    private static func strippingGraph(
        _ list: YAMLTree, prefixes: [String], path: String, file: String, into frozen: inout [LayerSelector]
    ) throws -> YAMLTree {
        guard case let .sequence(items, listMark) = list else { return list }
        var kept: [YAMLTree] = []
        for (index, item) in items.enumerated() {
            guard case let .mapping(nodeEntries, nodeMark) = item, nodeEntries.count == 1, case let .mapping(specEntries, specMark) = nodeEntries[0].value
            else {
                kept.append(item)
                continue
            }
            let name = nodeEntries[0].key
            let nodePath = "\(path)[\(index)].\(name)"
            var spec = specEntries
            if let nodesIndex = spec.firstIndex(where: { $0.key == "nodes" }) {
                let count = spec.first { $0.key == "repeat" }.flatMap { entry -> Int? in
                    if case let .scalar(text, _, _) = entry.value { return Int(text) } else { return nil }
                } ?? 0
                let inner = prefixes.flatMap { prefix in (0..<max(count, 0)).map { "\(prefix)\(name)\($0 + 1)_" } }
                spec[nodesIndex].value = try strippingGraph(spec[nodesIndex].value, prefixes: inner, path: "\(nodePath).nodes", file: file, into: &frozen)
            } else if let layerIndex = spec.firstIndex(where: { $0.key != "input" && $0.key != "trainable" }) {
                let beside = spec.firstIndex { $0.key == "trainable" }.map { spec[$0] }
                let layer = YAMLTree.mapping([spec[layerIndex]] + (beside.map { [$0] } ?? []), specMark)
                let (stripped, trainable, site) = try strippingTrainable(layer, path: nodePath, file: file)
                if case let .mapping(strippedEntries, _) = stripped, let only = strippedEntries.first { spec[layerIndex] = only }
                spec.removeAll { $0.key == "trainable" }
                if !trainable { frozen += prefixes.map { .node($0 + name, site: site) } }
            }
            var node = nodeEntries
            node[0].value = .mapping(spec, specMark)
            kept.append(.mapping(node, nodeMark))
        }
        return .sequence(kept, listMark)
    }

    /// A one-key layer mapping (`conv2d: {...}`) without `trainable` in its settings or beside
    /// it, whether it was trainable, and where that was written.
    private static func strippingTrainable(_ layer: YAMLTree, path: String, file: String) throws -> (YAMLTree, Bool, DescriptionSite) {
        if case let .mapping(entries, mark) = layer, entries.count == 2, let position = entries.firstIndex(where: { $0.key == "trainable" }) {
            let value = YAMLValue(entries[position].value, path: "\(path).trainable", file: file)
            var remaining = entries
            remaining.remove(at: position)
            return (.mapping(remaining, mark), try value.bool(), DescriptionSite(value))
        }
        let layerSite = DescriptionSite(YAMLValue(layer, path: path, file: file))
        guard case let .mapping(entries, mark) = layer, entries.count == 1, case let .mapping(settings, settingsMark) = entries[0].value,
              let position = settings.firstIndex(where: { $0.key == "trainable" })
        else { return (layer, true, layerSite) }
        let value = YAMLValue(settings[position].value, path: "\(path).\(entries[0].key).trainable", file: file)
        let trainable = try value.bool()
        var remaining = settings
        remaining.remove(at: position)
        var entry = entries[0]
        entry.value = .mapping(remaining, settingsMark)
        return (.mapping([entry], mark), trainable, DescriptionSite(value))
    }
}
