import Foundation

/// A study's trials as a table: CSV, JSON, or aligned text for the terminal.
public struct TrialExport: Sendable {
    public let trials: [TrialRecord]
    /// Parameter columns: the space's parameters in declaration order.
    public let parameterNames: [String]

    public init(trials: [TrialRecord], space: SearchSpace) {
        self.trials = trials
        parameterNames = space.parameters.map(\.name)
    }

    private var maximumStep: Int? { trials.compactMap(\.lastStep).max() }

    /// One row per trial: number, state, value, each parameter, duration, start and end times,
    /// the number of intermediate values and the last step, the failure reason.
    public func csv() -> String {
        let header = ["number", "state", "value"] + parameterNames.map { "param_\($0)" }
            + ["duration_seconds", "started_at", "finished_at", "intermediate_values", "last_step", "fail_reason"]
        let iso = ISO8601DateFormatter()
        let rows = trials.map { trial -> [String] in
            let value: String = trial.value.map { "\($0)" } ?? ""
            let params: [String] = parameterNames.map { trial.params[$0]?.description ?? "" }
            let duration: String = trial.duration.map { String(format: "%.3f", $0) } ?? ""
            let started: String = trial.startedAt.map(iso.string(from:)) ?? ""
            let finished: String = trial.finishedAt.map(iso.string(from:)) ?? ""
            let lastStep: String = trial.lastStep.map(String.init) ?? ""
            let tail: [String] = [duration, started, finished, String(trial.intermediateValues.count), lastStep, trial.failReason ?? ""]
            return [String(trial.number), trial.state.rawValue, value] + params + tail
        }
        return ([header] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A JSON array of trials with natural values (numbers as numbers, text as text).
    public func json() throws -> String {
        let iso = ISO8601DateFormatter()
        let objects: [[String: Any]] = trials.map { trial in
            var object: [String: Any] = [
                "number": trial.number,
                "state": trial.state.rawValue,
                "params": trial.params.mapValues(Self.jsonValue),
                "intermediate_values": Dictionary(uniqueKeysWithValues: trial.intermediateValues.map { (String($0.key), $0.value) }),
                "user_attributes": trial.userAttributes,
            ]
            object["value"] = trial.value
            object["fail_reason"] = trial.failReason
            object["duration_seconds"] = trial.duration
            object["started_at"] = trial.startedAt.map(iso.string(from:))
            object["finished_at"] = trial.finishedAt.map(iso.string(from:))
            return object
        }
        let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// An aligned table for the terminal. When a trial failed, the last column is the reason,
    /// whole (its line breaks shown as `\n`).
    public func text() -> String {
        let showsReasons = trials.contains { $0.failReason != nil }
        let header = ["#", "state", "value"] + parameterNames + ["steps", "seconds"] + (showsReasons ? ["reason"] : [])
        let rows = trials.map { trial -> [String] in
            let value: String = trial.value.map(ProgressReport.format) ?? "-"
            let params: [String] = parameterNames.map { name in
                guard let value = trial.params[name] else { return "-" }
                if case let .double(number) = value { return ProgressReport.format(number) }
                return value.description
            }
            let lastStep: String = trial.lastStep.map(String.init) ?? "-"
            let seconds: String = trial.duration.map { String(format: "%.1f", $0) } ?? "-"
            let reason = showsReasons ? [trial.failReason?.replacingOccurrences(of: "\n", with: "\\n") ?? ""] : []
            return [String(trial.number), trial.state.rawValue, value] + params + [lastStep, seconds] + reason
        }
        return Self.align([header] + rows)
    }

    /// Rows of text with columns padded to equal width.
    public static func align(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func jsonValue(_ value: ParameterValue) -> Any {
        switch value {
        case let .double(number): return number
        case let .int(number): return number
        case let .string(text): return text
        case let .bool(flag): return flag
        }
    }
}
