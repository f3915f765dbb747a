import ArgumentParser
import Backend
import Foundation
import Training

extension TrainCommand {
    /// `data.folds: K`: K trainings, fold `i` validating on its part; each fold's run folder is
    /// `fold-<i>` in `folder`, and `folds.csv`/`folds.json` hold every figure per fold with mean
    /// and standard deviation.
    func trainFolds(_ description: TrainingDescription, folds: Int, device: any Device, folder: URL) throws {
        guard !resume else { throw ValidationError("--resume continues one training; a run of data.folds trains \(folds)") }
        var figures: [FoldFigures] = []
        for fold in 0..<folds {
            let run = try TrainingRun(description, device: device, fold: fold)
            if fold == 0 {
                print(try run.trainer.model.summary(inputShape: run.data.train.featureShape))
                if let transfer = run.transfer.summary(of: run.trainer.model) { print(transfer) }
            }
            print("\nfold \(fold + 1)/\(folds): \(run.data.train.count) training, \(run.data.validation?.count ?? 0) validation, \(run.data.test?.count ?? 0) test samples; device \(device.identifier)")
            let foldFolder = folder.appendingPathComponent("fold-\(fold + 1)")
            try run.fit(outputFolder: foldFolder, progress: ProgressBar())
            let report = try run.report()
            try run.write(report, to: foldFolder)
            figures.append(try FoldFigures(fold: fold, run: run, test: report.test))
        }
        let result = CrossValidationResult(folds: figures)
        print("\n\(folds)-fold cross-validation:\n" + result.text)
        try result.write(to: folder)
        print("\nwrote \(folder.path): \(CrossValidationResult.files.joined(separator: ", ")) and fold-1 ... fold-\(folds)")
    }
}
