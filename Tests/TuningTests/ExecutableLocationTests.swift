import Foundation
import Testing
@testable import Tuning

/// Finding the running program (to start worker copies of it) on any system, not only where
/// `/proc/self/exe` exists.
@Suite struct ExecutableLocationTests {
    @Test func theFirstArgumentIsResolvedLikeAShellWould() throws {
        let folder = try temporaryFolder("programs")
        let program = folder + "/prog"
        try "#!/bin/sh\n".write(toFile: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: program)
        let real = URL(fileURLWithPath: program).resolvingSymlinksInPath().path

        #expect(try ExecutableLocation.resolve(argument0: "prog", currentDirectory: "/", searchPath: "/no/such:\(folder)") == real)
        #expect(try ExecutableLocation.resolve(argument0: "./prog", currentDirectory: folder, searchPath: nil) == real)
        #expect(try ExecutableLocation.resolve(argument0: folder + "/link", currentDirectory: "/", searchPath: nil) == real)
        #expect(throws: TuningError.invalidSettings(
            component: "worker processes", reason: "cannot find the running program's file (started as 'prog')")) {
            try ExecutableLocation.resolve(argument0: "prog", currentDirectory: "/", searchPath: "/no/such")
        }
    }

    @Test func theRunningProgramIsAnExecutableFile() throws {
        let path = try ExecutableLocation.currentExecutable()
        #expect(ExecutableLocation.isExecutableFile(path))
        #if os(Linux)
        #expect(path == URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path)
        #endif
    }
}
