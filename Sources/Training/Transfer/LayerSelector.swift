import NN

/// Picks layers of a model by position or name, as `freeze`, `init.exclude` and
/// `trainable: false` write them: `3` (the layer at index 3 of the model's layers), `"2.conv2d"`
/// or `stem` (a layer's name in the weight files, without the tensor), `"res*"` (every layer whose
/// name starts with `res`), `"0..4"` or `"stem..res2_out"` (both ends included).
public struct LayerSelector: Sendable, Equatable {
    indirect enum Pick: Sendable, Equatable {
        case index(Int)
        case name(String)
        case prefix(String)
        case range(Pick, Pick)
    }

    let pick: Pick
    let site: DescriptionSite

    static func parse(_ node: YAMLValue) throws -> LayerSelector {
        let text = try node.string()
        return LayerSelector(pick: try pick(text, at: node), site: DescriptionSite(node))
    }

    private static func pick(_ text: String, at node: YAMLValue) throws -> Pick {
        if let bounds = text.range(of: "..") {
            let (low, high) = (String(text[..<bounds.lowerBound]), String(text[bounds.upperBound...]))
            guard !low.isEmpty, !high.isEmpty, !high.contains(".."), !low.hasSuffix("*"), !high.hasSuffix("*") else {
                throw node.error("'\(text)' is not a layer range; write `first..last` with two layer indices or names")
            }
            return .range(try pick(low, at: node), try pick(high, at: node))
        }
        if let index = Int(text) {
            guard index >= 0 else { throw node.error("layer index \(index) is negative") }
            return .index(index)
        }
        guard !text.isEmpty else { throw node.error("expected a layer index or name, found an empty text") }
        if text.hasSuffix("*") { return .prefix(String(text.dropLast())) }
        return .name(text)
    }

    /// The indices (into `layerNames`, the model's `namedLayers` names) this selects; an error at
    /// the selector when it selects nothing, listing the names there are.
    func resolve(in layerNames: [String]) throws -> [Int] {
        func fail(_ what: String) -> DescriptionError {
            site.error("\(what); the model's layers are \(layerNames.enumerated().map { "\($0.offset): \($0.element)" }.joined(separator: ", "))")
        }
        func position(_ pick: Pick) throws -> Int {
            switch pick {
            case let .index(index):
                guard layerNames.indices.contains(index) else { throw fail("there is no layer \(index)") }
                return index
            case let .name(name):
                guard let index = layerNames.firstIndex(of: name) else { throw fail("there is no layer named '\(name)'") }
                return index
            case .prefix, .range:
                throw fail("a range's ends are single layers")
            }
        }
        switch pick {
        case let .range(low, high):
            let (first, last) = (try position(low), try position(high))
            guard first <= last else { throw fail("the range ends before it starts (\(first) > \(last))") }
            return Array(first...last)
        case let .prefix(prefix):
            let matches = layerNames.indices.filter { layerNames[$0].hasPrefix(prefix) }
            guard !matches.isEmpty else { throw fail("no layer's name starts with '\(prefix)'") }
            return matches
        case .index, .name:
            return [try position(pick)]
        }
    }

    /// The layer at `index` of a list model, for `trainable: false` written on it.
    static func layer(_ index: Int, site: DescriptionSite) -> LayerSelector {
        LayerSelector(pick: .index(index), site: site)
    }

    /// The graph node `name`.
    static func node(_ name: String, site: DescriptionSite) -> LayerSelector {
        LayerSelector(pick: .name(name), site: site)
    }
}

extension Array where Element == LayerSelector {
    /// The sorted, distinct layer indices of `model` (its `namedLayers`) these select.
    func layerIndices(of model: any LayerContainer) throws -> [Int] {
        let names = model.namedLayers.map(\.name)
        var indices = Set<Int>()
        for selector in self { indices.formUnion(try selector.resolve(in: names)) }
        return indices.sorted()
    }
}
