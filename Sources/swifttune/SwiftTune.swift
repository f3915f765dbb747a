import ArgumentParser

@main
struct SwiftTune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swifttune",
        abstract: "Train neural networks on OpenCL GPUs or the CPU, and tune their hyperparameters.",
        discussion: """
            Pick a device with --device (cpu, opencl, opencl:N or auto) or the SWIFTTUNE_DEVICE \
            environment variable; auto takes the first OpenCL GPU, else the CPU path.
            """,
        version: "0.1.0",
        subcommands: [
            DevicesCommand.self, SelfTestCommand.self, TrainCommand.self, PredictCommand.self, EvaluateCommand.self, BenchCommand.self,
            TuneCommand.self, WorkerCommand.self, StudiesCommand.self, TrialsCommand.self, BestCommand.self, ReportCommand.self,
            ExportCommand.self,
        ]
    )
}
