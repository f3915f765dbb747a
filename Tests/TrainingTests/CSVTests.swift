import Foundation
import Testing
import Training

@Suite struct CSVTests {
    @Test func readsAHeaderAndPicksTheTargetByName() throws {
        let text = "a,label,b\n1,cat,2\n3,dog,4\n5,cat,6\n"
        let data = try Dataset.parseCSV(
            text: text, options: CSVOptions(target: .name("label"), targetKind: .classification()))
        #expect(data.features == [1, 2, 3, 4, 5, 6])
        #expect(data.featureNames == ["a", "b"])
        #expect(data.classNames == ["cat", "dog"])
        #expect(data.targets == [0, 1, 0])
    }

    @Test func readsAFileWithoutHeaderAndATargetByIndex() throws {
        let text = "7;1.5;2\r\n0;2.5;3\r\n"
        let data = try Dataset.parseCSV(
            text: text,
            options: CSVOptions(target: .index(0), targetKind: .regression, hasHeader: false, delimiter: ";"))
        #expect(data.targets == [7, 0])
        #expect(data.features == [1.5, 2, 2.5, 3])
        #expect(data.featureNames.isEmpty)
    }

    @Test func integerLabelsBecomeClassIndicesAndNamesMapToGivenClasses() throws {
        let numeric = try Dataset.parseCSV(text: "x,y\n1,2\n2,0\n", options: CSVOptions(targetKind: .classification()))
        #expect(numeric.classNames == ["0", "1", "2"])
        #expect(numeric.targets == [2, 0])
        let named = try Dataset.parseCSV(
            text: "x,y\n1,yes\n2,0\n",
            options: CSVOptions(targetKind: .classification(classNames: ["no", "yes"])))
        #expect(named.targets == [1, 0])
    }

    @Test func quotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
        let text = "\u{FEFF}\"first, col\",\"say \"\"hi\"\"\"\n 1 , \"a\nb\"\n\n2,\"c\"\n"
        let data = try Dataset.parseCSV(text: text, options: CSVOptions(targetKind: .classification()))
        #expect(data.featureNames == ["first, col"])
        #expect(data.classNames == ["a\nb", "c"])
        #expect(data.features == [1, 2])
    }

    @Test func ignoredColumnsAndAFeatureShape() throws {
        let text = "id,p0,p1,p2,p3,y\n17,1,2,3,4,0\n18,5,6,7,8,1\n"
        let data = try Dataset.parseCSV(
            text: text,
            options: CSVOptions(targetKind: .classification(), ignoredColumns: [.name("id")], featureShape: [1, 2, 2]))
        #expect(data.featureShape == [1, 2, 2])
        #expect(data.features == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func aBadNumberNamesTheFileLineAndColumn() {
        let text = "a,b,y\n1,2,0\n3,x7,1\n"
        #expect(throws: DataError.malformed(file: "grid.csv", line: 3, column: "2 'b'", detail: "'x7' is not a finite number")) {
            try Dataset.parseCSV(text: text, source: "grid.csv", options: CSVOptions(targetKind: .classification()))
        }
    }

    @Test func errorsForMissingValuesRaggedRowsAndUnknownLabels() {
        let options = CSVOptions(targetKind: .classification(classNames: ["a", "b"]))
        #expect(throws: DataError.malformed(file: "f", line: 2, column: "1 'x'", detail: "missing value")) {
            try Dataset.parseCSV(text: "x,y\n,a\n", source: "f", options: options)
        }
        #expect(throws: DataError.malformed(file: "f", line: 3, column: nil, detail: "3 fields, but the header has 2")) {
            try Dataset.parseCSV(text: "x,y\n1,a\n1,2,a\n", source: "f", options: options)
        }
        #expect(throws: DataError.malformed(
            file: "f", line: 2, column: "2 'y'", detail: "label 'c' is not one of [\"a\", \"b\"] nor an index into them")) {
            try Dataset.parseCSV(text: "x,y\n1,c\n", source: "f", options: options)
        }
        #expect(throws: DataError.malformed(file: "f", line: 2, column: nil, detail: "a quoted field is never closed")) {
            try Dataset.parseCSV(text: "x,y\n1,\"a\n", source: "f", options: options)
        }
        #expect(throws: DataError.self) {
            try Dataset.parseCSV(text: "x,y\n1,a\n", options: CSVOptions(target: .name("z"), targetKind: .regression))
        }
        #expect(throws: DataError.malformed(file: "f", line: nil, column: nil, detail: "no data rows")) {
            try Dataset.parseCSV(text: "x,y\n", source: "f", options: options)
        }
    }

    @Test func aMissingFileIsReportedByPath() {
        let url = URL(fileURLWithPath: "/nonexistent/swifttune/data.csv")
        do {
            _ = try Dataset.loadCSV(url, options: CSVOptions(targetKind: .regression))
            Issue.record("loading a missing file did not throw")
        } catch let error as DataError {
            guard case let .unreadable(file, reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(file == url.path)
            #expect(reason.contains("exist"))
            #expect(error.description.contains("/nonexistent/swifttune/data.csv"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
