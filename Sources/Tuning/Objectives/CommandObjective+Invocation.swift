import Foundation

extension CommandObjective {
    /// The command line with placeholders filled and, if asked, `--name=value` arguments appended
    /// (a script's arguments: `"$@"`).
    func arguments(for trial: Trial) -> [String] {
        let appended = appendArguments
            ? trial.params.sorted { $0.key < $1.key }.map { "--\($0.key)=\($0.value.description)" } : []
        switch command {
        case let .arguments(list):
            var values = trial.params.mapValues(\.description)
            values["trial"] = String(trial.number)
            values["study"] = studyName
            return list.map { Placeholders.argument($0, values: values) } + appended
        case let .shell(script):
            var variables = Dictionary(uniqueKeysWithValues: trial.params.keys.map { ($0, Self.parameterVariable($0)) })
            variables["trial"] = "SWIFTTUNE_TRIAL"
            variables["study"] = "SWIFTTUNE_STUDY"
            return ["sh", "-c", Placeholders.shellScript(script, variables: variables), "sh"] + appended
        }
    }

    /// This process's environment with the objective's variables and the trial's.
    func environment(for trial: Trial) -> [String: String] {
        var variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        variables["SWIFTTUNE_TRIAL"] = String(trial.number)
        variables["SWIFTTUNE_STUDY"] = studyName
        for (name, value) in trial.params {
            variables[Self.parameterVariable(name)] = value.description
        }
        return variables
    }

    /// `learning-rate` → `SWIFTTUNE_PARAM_LEARNING_RATE`.
    static func parameterVariable(_ name: String) -> String {
        "SWIFTTUNE_PARAM_" + environmentName(name)
    }

    /// `learning-rate` → `LEARNING_RATE`.
    static func environmentName(_ name: String) -> String {
        String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// The file to start for the program `name`: a script runs in `/bin/sh`; a name with a `/` is
    /// a path (relative to the working directory); other names are looked up on the command's
    /// `PATH`.
    func executablePath(_ name: String, environment: [String: String]) throws -> String {
        if case .shell = command { return "/bin/sh" }
        if name.contains("/") { return name }
        guard let path = ExecutableLocation.find(name, searchPath: environment["PATH"]) else {
            throw Failure(description: "cannot start \(name): not found on PATH (\(environment["PATH"] ?? "unset"))")
        }
        return path
    }

    /// Creates the trial's log file (empty) and records its path with the trial; returns its
    /// descriptor, or nil without a log directory.
    func openLog(for trial: Trial) throws -> Int32? {
        guard let logDirectory else { return nil }
        let path = URL(fileURLWithPath: logDirectory).appendingPathComponent("trial-\(trial.number).log").path
        do {
            try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create the log directory \(logDirectory): \(error.localizedDescription)")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Failure(description: "cannot write the log file \(path): \(String(cString: strerror(errno)))")
        }
        do {
            try trial.setUserAttribute(Self.logFileKey, path)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// Finds what would fail every trial: an empty command, a program that is not there, a
    /// working or log directory that cannot be used, two parameters with one environment variable.
    public func check(for space: SearchSpace) throws {
        func problem(_ reason: String) -> TuningError { .invalidSettings(component: "command objective", reason: reason) }
        switch command {
        case let .arguments(list) where list.isEmpty: throw problem("the command is empty")
        case let .shell(script) where script.allSatisfy(\.isWhitespace): throw problem("the command is empty")
        default: break
        }
        var owners: [String: String] = [:]
        for parameter in space.parameters {
            let variable = Self.parameterVariable(parameter.name)
            if let other = owners[variable] {
                throw problem("parameters '\(other)' and '\(parameter.name)' would both be passed as \(variable)")
            }
            owners[variable] = parameter.name
        }
        var isFolder: ObjCBool = false
        if let workingDirectory,
           !(FileManager.default.fileExists(atPath: workingDirectory, isDirectory: &isFolder) && isFolder.boolValue) {
            throw problem("the working directory \(workingDirectory) does not exist")
        }
        if case let .arguments(list) = command, let program = list.first, !program.contains("{"), !program.contains("/") {
            let environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            do {
                _ = try executablePath(program, environment: environment)
            } catch let failure as Failure {
                throw problem(failure.description)
            }
        }
        if let logDirectory {
            do {
                try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
            } catch {
                throw problem("cannot create the log directory \(logDirectory): \(error.localizedDescription)")
            }
            guard access(logDirectory, W_OK) == 0 else { throw problem("cannot write in the log directory \(logDirectory)") }
        }
    }
}
