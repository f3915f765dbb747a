import Foundation

/// Where a study's trials keep their weights, and which they keep.
///
/// Trial N's run folder (`model.safetensors`, `preprocessing.json`, and last `trial.json` with
/// its number and value) is `<folder>/trial-N`; `predict` reads it as it is. The folder of a
/// study is next to an SQLite storage (`studies.sqlite` → `studies.weights/<study>/`), and
/// `runs/studies/<study>/` in the working folder of each process for PostgreSQL (a worker keeps
/// the trials it ran); a `memory:` storage keeps no weights.
public enum TrialWeights {
    /// Which trials keep their weights.
    public enum Policy: String, Sendable, Equatable, CaseIterable {
        /// Only the best complete trial so far (the others' folders are removed).
        case best
        /// Every complete trial.
        case all
        /// None.
        case none
    }

    /// The file a kept trial's folder ends with.
    public static let recordFile = "trial.json"

    /// The weights folder of study `study` in the storage `storageURL`, nil for `memory:`.
    public static func folder(storageURL: String, study: String) -> URL? {
        if storageURL == "memory:" { return nil }
        let name = FileNames.safe(study)
        var path: String?
        if storageURL.hasPrefix("sqlite:") {
            path = String(storageURL.dropFirst("sqlite:".count))
            if path?.hasPrefix("//") == true { path = path.map { String($0.dropFirst(2)) } }
        } else if storageURL.hasSuffix(".db") || storageURL.hasSuffix(".sqlite") {
            path = storageURL
        }
        guard let path, !path.isEmpty else { return URL(fileURLWithPath: "runs/studies").appendingPathComponent(name) }
        let database = URL(fileURLWithPath: path)
        return database.deletingLastPathComponent()
            .appendingPathComponent(database.deletingPathExtension().lastPathComponent + ".weights")
            .appendingPathComponent(name)
    }

    /// Trial `number`'s run folder in `folder`.
    public static func trialFolder(_ folder: URL, trial number: Int) -> URL {
        folder.appendingPathComponent("trial-\(number)")
    }

    /// Marks trial `number`'s folder complete with its value.
    static func record(trial number: Int, value: Double, in trialFolder: URL) throws {
        let json = try JSONSerialization.data(withJSONObject: ["trial": number, "value": value], options: [.sortedKeys])
        do {
            try json.write(to: trialFolder.appendingPathComponent(recordFile), options: .atomic)
        } catch {
            throw TuningError.storage("cannot write \(trialFolder.appendingPathComponent(recordFile).path): \(error.localizedDescription)")
        }
    }

    /// Removes the complete trial folders in `folder` whose value is worse than the best one's
    /// (trials tied at the best value all stay, whichever the study counts as best). Folders
    /// still being written (no `trial.json`) are left alone, so processes that share the folder
    /// can all call this.
    static func keepBest(in folder: URL, greaterIsBetter: Bool) {
        let entries = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        let complete = entries.compactMap { entry -> (url: URL, value: Double)? in
            guard let data = try? Data(contentsOf: entry.appendingPathComponent(recordFile)),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let value = object["value"] as? Double, value.isFinite
            else { return nil }
            return (entry, value)
        }
        let values = complete.map(\.value)
        guard let best = greaterIsBetter ? values.max() : values.min() else { return }
        for entry in complete where entry.value != best {
            try? FileManager.default.removeItem(at: entry.url)
        }
    }
}
