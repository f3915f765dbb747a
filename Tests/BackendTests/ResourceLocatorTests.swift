import Backend
import Foundation
import Testing

@Suite struct ResourceLocatorTests {
    @Test func theEnvironmentFolderComesFirstAndTheCheckoutLast() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("locator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("x".utf8).write(to: folder.appendingPathComponent("probe.txt"))
        let variable = "SWIFTTUNE_LOCATOR_TEST_\(UUID().uuidString.prefix(8))"
        setenv(variable, folder.path, 1)
        defer { unsetenv(variable) }

        let checkout = URL(fileURLWithPath: "/nonexistent/checkout")
        let locator = ResourceLocator(
            environmentVariable: variable, bundleName: "Nothing.resources", subfolder: "Files", checkoutFolder: checkout)
        let folders = locator.searchFolders()
        #expect(folders.first?.path == folder.path)
        #expect(folders.last == checkout)
        #expect(folders.dropFirst().dropLast().allSatisfy { $0.path.hasSuffix("Nothing.resources/Files") })
        #expect(locator.locate("probe.txt")?.path == folder.appendingPathComponent("probe.txt").path)
        #expect(locator.locate("absent.txt") == nil)
    }

    @Test func folderAboveASourceFileWalksUp() {
        let folder = ResourceLocator.folder(above: "/repo/Sources/Backend/Core/File.swift", levelsUp: 3)
        #expect(folder.path == "/repo/Sources")
    }
}
