import Foundation

/// The image files of a labelled data set and their classes: a folder with one sub-folder per
/// class (class names = sub-folder names, sorted), or a CSV file of paths and labels.
public struct ImageFileList: Sendable, Equatable {
    /// The files, in a fixed order (by class, then by name; or the CSV's order).
    public let files: [URL]
    /// The class index of each file.
    public let labels: [Int]
    /// The class names, sorted (numerically when every label is an integer).
    public let classNames: [String]

    /// The file extensions read from a class folder (others are left alone).
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// A list; throws unless there is one label per file, each an index into `classNames`.
    public init(files: [URL], labels: [Int], classNames: [String]) throws {
        guard files.count == labels.count, labels.allSatisfy({ (0..<classNames.count).contains($0) }) else {
            throw DataError.invalidArgument(
                op: "ImageFileList", detail: "need one label in 0..<\(classNames.count) per file; got \(labels.count) labels for \(files.count) files")
        }
        self.files = files
        self.labels = labels
        self.classNames = classNames
    }

    /// A folder of class folders, or (for a path ending in `.csv`) a CSV file.
    public static func load(_ url: URL) throws -> ImageFileList {
        url.pathExtension.lowercased() == "csv" ? try csv(url) : try folder(url)
    }

    /// One sub-folder per class, each holding `.png`, `.jpg` or `.jpeg` files (hidden entries
    /// are skipped).
    public static func folder(_ url: URL) throws -> ImageFileList {
        let manager = FileManager.default
        func entries(_ folder: URL) throws -> [URL] {
            do {
                return try manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles])
                    .sorted { $0.lastPathComponent < $1.lastPathComponent }
            } catch {
                throw DataError.unreadable(file: folder.path, reason: "not a readable folder (\(error.localizedDescription))")
            }
        }
        let classFolders = try entries(url).filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
        guard !classFolders.isEmpty else {
            throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "no class folders (expected one sub-folder of images per class)")
        }
        var files: [URL] = []
        var labels: [Int] = []
        for (label, classFolder) in classFolders.enumerated() {
            let images = try entries(classFolder).filter { imageExtensions.contains($0.pathExtension.lowercased()) }
            guard !images.isEmpty else {
                throw DataError.malformed(file: classFolder.path, line: nil, column: nil, detail: "class folder without .png, .jpg or .jpeg files")
            }
            files += images
            labels += Array(repeating: label, count: images.count)
        }
        return try ImageFileList(files: files, labels: labels, classNames: classFolders.map(\.lastPathComponent))
    }

    /// A CSV file with a header row and two columns: the image's path (relative to the CSV's
    /// folder, or absolute) and its label.
    public static func csv(_ url: URL) throws -> ImageFileList {
        let records = try CSVParser.parse(DataFile.read(url), delimiter: UInt8(ascii: ","), file: url.path)
        guard records.count > 1 else {
            throw DataError.malformed(file: url.path, line: nil, column: nil, detail: "expected a header row and at least one image row")
        }
        let folder = url.deletingLastPathComponent()
        var files: [URL] = []
        var names: [String] = []
        for record in records.dropFirst() {
            guard record.fields.count == 2, !record.fields[0].isEmpty, !record.fields[1].isEmpty else {
                throw DataError.malformed(
                    file: url.path, line: record.line, column: nil,
                    detail: "expected two non-empty fields (path, label), found \(record.fields.count)")
            }
            let path = record.fields[0]
            files.append(path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path))
            names.append(record.fields[1])
        }
        // Integer labels are compared as numbers ("2" before "10", "01" is "1").
        let numbers = names.compactMap { Int($0) }
        let keys = numbers.count == names.count ? numbers.map(String.init) : names
        let classNames = numbers.count == names.count
            ? Set(numbers).sorted().map(String.init) : Set(names).sorted()
        let indexOf = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        return try ImageFileList(files: files, labels: keys.compactMap { indexOf[$0] }, classNames: classNames)
    }
}
