import ArgumentParser
import SwiftTuneOptions
import Tuning

struct StudiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studies", abstract: "List the studies a storage holds, with their trial counts and best values.")

    @Option(name: .long, help: "sqlite:PATH, a .db path, or postgres://USER@HOST:PORT/DB.")
    var storage: String

    func run() throws {
        do {
            let storage = try StorageURL.open(self.storage, readOnly: true)
            var rows = [["study", "direction", "trials", "complete", "pruned", "failed", "best"]]
            for record in try storage.studies() {
                let history = try Study(loading: record.name, storage: storage, sampler: RandomSampler(), heartbeat: .off).refresh()
                rows.append([
                    record.name, record.definition.direction.rawValue, String(history.trials.count),
                    String(history.count(.complete)), String(history.count(.pruned)), String(history.count(.fail)),
                    history.best?.value.map(ProgressReport.format) ?? "-",
                ])
            }
            print(TrialExport.align(rows), terminator: "")
        } catch let error as TuningError {
            throw error.validation
        }
    }
}
