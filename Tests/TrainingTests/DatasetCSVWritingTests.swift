import Foundation
import Testing
import Training

@Suite struct DatasetCSVWritingTests {
    @Test func writtenCSVReadsBackToTheSameSamples() throws {
        let data = try Dataset(
            features: [0.1, 1e-7, -3, 0.33333334, 5, 6], featureShape: [2], targets: [2, 0, 1],
            task: .classification(classNames: ["a", "b", "c"]))
        let text = try data.csv()
        #expect(text.hasPrefix("f0,f1,target\n0.1,1e-07,2\n"))
        let back = try Dataset.parseCSV(text: text, options: CSVOptions(targetKind: .classification()))
        #expect(back.features == data.features)
        #expect(back.targets == data.targets)
    }

    @Test func preparedPartsAreWrittenOnePerFile() throws {
        let folder = try TemporaryFolder()
        let description = try TrainingDescription.parse(
            yaml: "data: {dataset: digits, validation: 0.2, test: 0}\nmodel:\n  - dense: {units: 10}\n", file: "<test>")
        let data = try description.data.prepare(seed: 1, baseFolder: folder.url)
        let files = try data.writeCSV(to: folder.url.appendingPathComponent("split"))
        #expect(files.map(\.lastPathComponent) == ["train.csv", "validation.csv"])
        let validation = try Dataset.loadCSV(files[1], options: CSVOptions(targetKind: .classification()))
        #expect(validation.count == data.validation?.count)
        #expect(validation.features == data.validation?.features)
    }
}
