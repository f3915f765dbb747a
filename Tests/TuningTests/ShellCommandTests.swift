import Foundation
import Testing
@testable import Tuning

/// A string `command` runs in `sh -c`, and values are text there, never code.
@Suite struct ShellCommandTests {
    /// Values that would run `touch INJECTED` if they were pasted into the script.
    static let payloads = [
        "a; touch INJECTED", "$(touch INJECTED)", "`touch INJECTED`", "a | touch INJECTED", "a\ntouch INJECTED",
        "a && touch INJECTED", "x' ; touch INJECTED ; '", "x\" ; touch INJECTED ; \"", "a\\\"; touch INJECTED; \\\"",
    ]

    /// Where a placeholder may stand in a script, and the text `printf '%s'` then prints around
    /// the value.
    static let placements: [(placeholder: String, before: String, after: String)] = [
        ("{opt}", "", ""), ("\"{opt}\"", "", ""), ("'{opt}'", "", ""), ("x{opt}y", "x", "y"),
        ("\"a {opt} b\"", "a ", " b"), ("'a {opt} b'", "a ", " b"),
    ]

    /// A string as a YAML scalar (JSON's quoting is YAML's double-quoted form).
    static func yaml(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self)
    }

    @Test(arguments: payloads)
    func valuesReachTheScriptAsTextWhereverThePlaceholderStands(payload: String) async throws {
        for placement in Self.placements {
            let folder = try temporaryFolder("shell")
            let file = try StudyFile(yaml: """
                name: shell
                space:
                  opt: {type: categorical, choices: \(try Self.yaml(Self.payloads))}
                objective:
                  command: \(try Self.yaml("printf '%s' \(placement.placeholder) > printed; echo 1"))
                  working_directory: \(try Self.yaml(folder))
                  log_directory: \(try Self.yaml(folder + "/logs"))
                """)
            let objective = try #require(file.objective)
            let study = try Study(name: "shell", space: file.space, storage: InMemoryStorage(), sampler: RandomSampler(), heartbeat: .off)
            try study.enqueue(["opt": .string(payload)])
            try await study.optimize(objective, stop: [.trials(1)])
            let trial = try study.trials()[0]
            #expect(trial.state == .complete, "\(placement.placeholder): \(trial.failReason ?? "")")
            #expect(!FileManager.default.fileExists(atPath: folder + "/INJECTED"), "\(placement.placeholder) ran the value")
            let printed = try? String(contentsOfFile: folder + "/printed", encoding: .utf8)
            #expect(printed == placement.before + payload + placement.after, "\(placement.placeholder)")
        }
    }

    @Test func scriptsReferToTheValuesEnvironmentVariables() throws {
        let study = try Study(name: "s", space: try SearchSpace([.categorical("opt", ["v"])]), storage: InMemoryStorage(),
                              sampler: RandomSampler(), heartbeat: .off)
        try study.enqueue(["opt": "v"])
        let trial = try #require(try study.ask())
        let objective = CommandObjective(command: .shell(#"run {opt} "{opt}" '{opt}' ${HOME} {trial} {other}"#), appendArguments: true)
        #expect(objective.arguments(for: trial) == [
            "sh", "-c",
            #"run "${SWIFTTUNE_PARAM_OPT}" "${SWIFTTUNE_PARAM_OPT}" ''"${SWIFTTUNE_PARAM_OPT}"'' ${HOME} "${SWIFTTUNE_TRIAL}" {other}"#,
            "sh", "--opt=v",
        ])
    }
}
