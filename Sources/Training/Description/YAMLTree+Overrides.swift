extension YAMLTree {
    /// Short names that reach common settings when the description declares no parameter of
    /// that name.
    static let aliases = [
        "learning_rate": "training.optimizer.learning_rate", "optimizer": "training.optimizer.name",
        "weight_decay": "training.optimizer.weight_decay", "momentum": "training.optimizer.momentum",
        "l1": "training.optimizer.l1", "clip_norm": "training.optimizer.clip_norm", "batch_size": "training.batch_size",
        "epochs": "training.epochs", "seed": "seed",
    ]

    /// The tree with `overrides` applied and every `$name` reference replaced by its parameter.
    ///
    /// An override key is, in this order: a name declared under `parameters`, a key path
    /// (`training.optimizer.learning_rate`, `model[0].dense.units`; a missing last key is
    /// added), or one of `aliases`. A path into a layer written in short form (`dense: 64`,
    /// `- batchnorm`) reaches its settings as if it were written out (`dense: {units: 64}`).
    func resolvingParameters(_ overrides: [String: DescriptionValue], file: String) throws -> YAMLTree {
        // A document that is not a mapping is reported by the reader of its keys.
        guard case .mapping(var entries, let rootMark) = self else { return self }
        var parameters: [Entry] = []
        if let index = entries.firstIndex(where: { $0.key == "parameters" }) {
            let declared = try YAMLValue(entries[index].value, path: "parameters", file: file).mapping()
            parameters = declared.entries.map { Entry(key: $0.key, keyMark: nil, value: $0.value.tree) }
            entries.remove(at: index)
        }
        var tree = YAMLTree.mapping(entries, rootMark)
        for key in overrides.keys.sorted() {
            guard let value = overrides[key] else { continue }
            if let index = parameters.firstIndex(where: { $0.key == key }) {
                parameters[index].value = .scalar(value.description, quoted: value.isString, parameters[index].value.mark)
            } else if key.contains(".") || key.contains("[") || Self.aliases[key] != nil {
                let path = Self.aliases[key] ?? key
                let components = try Self.components(of: path)
                tree = try tree.writingLayerOut(at: components, path: path, file: file)
                    .setting(components[...], to: .scalar(value.description, quoted: value.isString, nil), walked: "", path: path, file: file)
            } else {
                let declared = parameters.isEmpty ? "none" : parameters.map(\.key).joined(separator: ", ")
                throw DescriptionError(
                    file: "<overrides>", line: nil, column: nil, key: key,
                    detail: "not a declared parameter (\(declared)), a key path like training.optimizer.learning_rate, or one of \(Self.aliases.keys.sorted().joined(separator: ", "))")
            }
        }
        let table = Dictionary(parameters.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        return try tree.substituting(table, path: "", file: file)
    }

    /// Replaces scalars `$name` with the parameter `name`.
    private func substituting(_ parameters: [String: YAMLTree], path: String, file: String) throws -> YAMLTree {
        switch self {
        case let .scalar(text, quoted, mark):
            guard !quoted, text.hasPrefix("$") else { return self }
            let name = String(text.dropFirst())
            guard let value = parameters[name] else {
                let known = parameters.keys.sorted().joined(separator: ", ")
                throw DescriptionError(
                    file: file, line: mark?.line, column: mark?.column, key: path,
                    detail: "'\(text)' refers to no parameter (declared: \(known.isEmpty ? "none" : known))")
            }
            if case let .scalar(valueText, valueQuoted, _) = value { return .scalar(valueText, quoted: valueQuoted, mark) }
            return value
        case let .mapping(entries, mark):
            return .mapping(
                try entries.map { entry in
                    var entry = entry
                    entry.value = try entry.value.substituting(parameters, path: path.isEmpty ? entry.key : "\(path).\(entry.key)", file: file)
                    return entry
                },
                mark)
        case let .sequence(items, mark):
            return .sequence(try items.enumerated().map { try $1.substituting(parameters, path: "\(path)[\($0)]", file: file) }, mark)
        }
    }

    /// One step of a key path.
    enum PathComponent: Equatable, CustomStringConvertible {
        case key(String)
        case index(Int)

        var description: String {
            switch self {
            case let .key(key): "key '\(key)'"
            case let .index(index): "item [\(index)]"
            }
        }
    }

    /// `model[0].dense.units` → key model, index 0, key dense, key units.
    static func components(of path: String) throws -> [PathComponent] {
        var result: [PathComponent] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let name = rest.prefix { $0 != "[" }
            rest = rest.dropFirst(name.count)
            if !name.isEmpty { result.append(.key(String(name))) }
            while rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else {
                    throw DescriptionError(file: "<overrides>", line: nil, column: nil, key: path, detail: "not a key path")
                }
                result.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty, !(name.isEmpty && result.isEmpty) else {
                throw DescriptionError(file: "<overrides>", line: nil, column: nil, key: path, detail: "not a key path")
            }
        }
        return result
    }

    /// For a path `model[i].KIND...`: the tree with layer `i` written out (see
    /// `LayerDescription.writtenOut`), or an error when layer `i` is of another kind.
    private func writingLayerOut(at components: [PathComponent], path: String, file: String) throws -> YAMLTree {
        guard components.count >= 3, components[0] == .key("model"), case let .index(index) = components[1],
            case let .key(kind) = components[2], case .mapping(var entries, let rootMark) = self,
            let model = entries.firstIndex(where: { $0.key == "model" }),
            case .sequence(var layers, let modelMark) = entries[model].value, layers.indices.contains(index)
        else { return self }
        let layer = YAMLValue(layers[index], path: "model[\(index)]", file: file)
        layers[index] = try LayerDescription.writtenOut(layer, kind: kind, deeper: components.count > 3, overriding: path)
        entries[model].value = .sequence(layers, modelMark)
        return .mapping(entries, rootMark)
    }

    /// The tree with the node at `components` set to `value` (mappings gain missing keys);
    /// `walked` is the path to this node, for messages.
    private func setting(
        _ components: ArraySlice<PathComponent>, to value: YAMLTree, walked: String, path: String, file: String
    ) throws -> YAMLTree {
        guard let first = components.first else {
            if case let .scalar(text, quoted, _) = value { return .scalar(text, quoted: quoted, mark) }
            return value
        }
        let rest = components.dropFirst()
        switch (self, first) {
        case let (.mapping(entries, mark), .key(key)):
            var entries = entries
            let childPath = walked.isEmpty ? key : "\(walked).\(key)"
            if let index = entries.firstIndex(where: { $0.key == key }) {
                entries[index].value = try entries[index].value.setting(rest, to: value, walked: childPath, path: path, file: file)
            } else {
                let added = try YAMLTree.mapping([], mark).setting(rest, to: value, walked: childPath, path: path, file: file)
                entries.append(Entry(key: key, keyMark: nil, value: added))
            }
            return .mapping(entries, mark)
        case let (.sequence(items, mark), .index(index)) where items.indices.contains(index):
            var items = items
            items[index] = try items[index].setting(rest, to: value, walked: "\(walked)[\(index)]", path: path, file: file)
            return .sequence(items, mark)
        case let (.sequence(items, _), .index(index)):
            throw overrideError(path: path, file: file, detail: "\(walked) has \(items.count) items, so there is no \(walked)[\(index)]")
        default:
            let place = walked.isEmpty ? "the description" : walked
            throw overrideError(path: path, file: file, detail: "\(place) is \(kindDescription), which has no \(first)")
        }
    }

    /// An override whose path does not fit the description, at this node's line.
    private func overrideError(path: String, file: String, detail: String) -> DescriptionError {
        DescriptionError(file: file, line: mark?.line, column: mark?.column, key: path, detail: "the override path does not fit: \(detail)")
    }
}

extension DescriptionValue {
    var isString: Bool {
        if case .string = self { return true }
        return false
    }
}
