import ArgumentParser
import Foundation
import WeightLab
import WeightLabMPI

/// The ranks this `weightlab` runs among: MPI's when `mpirun` or `srun` started it, else a
/// world of one (MPI is then never initialized, and every command behaves as without MPI).
///
/// Every rank runs the same command in lockstep; rank 0 alone prints (the others' standard
/// output goes to /dev/null, their errors still show) and writes files. At
/// start the ranks compare a hash of their run description (arguments and the files they
/// name) and all stop with the same error when one differs. `WEIGHTLAB_RANK_TIMEOUT` (seconds,
/// default 600) bounds every wait for another rank.
enum Cluster {
    /// The ranks; set once by `start` before any command runs.
    nonisolated(unsafe) private(set) static var world: any Communicator = LocalCommunicator()
    nonisolated(unsafe) private static var mpi: MPICommunicator?

    /// Default of `WEIGHTLAB_RANK_TIMEOUT`.
    static let defaultTimeout = 600.0

    /// Starts MPI when launched by an MPI launcher, sets this rank's threads to its cores
    /// (`MPICommunicator.coresPerRank`), and checks that every rank describes the same run.
    static func start(arguments: [String]) throws {
        guard MPICommunicator.isLaunched else { return }
        let text = ProcessInfo.processInfo.environment["WEIGHTLAB_RANK_TIMEOUT"]
        let seconds = try text.map { value -> Double in
            guard let seconds = Double(value), seconds > 0 else {
                throw WeightLabError(.parameter, "WEIGHTLAB_RANK_TIMEOUT='\(value)': expected a number of seconds > 0")
            }
            return seconds
        } ?? defaultTimeout
        let communicator = try MPICommunicator(timeout: .milliseconds(Int(seconds * 1000)))
        mpi = communicator
        world = communicator
        if communicator.rank != 0 { dup2(open("/dev/null", O_WRONLY), STDOUT_FILENO) }
        Parallelism.setThreadCount(MPICommunicator.coresPerRank)
        try RunDescription(arguments: arguments).check(among: communicator)
    }

    /// Ends MPI cleanly after a command that every rank finished.
    static func finish() {
        mpi?.finalize()
    }

    /// Reports `error` and exits. Errors every rank meets alike (a mismatch, bad arguments) and
    /// a command's own exit code or help (thrown once the other ranks are done) end MPI cleanly,
    /// reported once by rank 0; any other error inside a command may leave other ranks waiting
    /// for this one, so it aborts them all, naming this rank.
    static func fail(_ error: any Error, inCommand: Bool) -> Never {
        guard let mpi, mpi.size > 1 else { WeightLabCommand.exit(withError: error) }
        if !inCommand || error is ExitCode || WeightLabCommand.exitCode(for: error).isSuccess {
            // Rank 0 reports in one write, and the others leave quietly, so the launcher's own
            // notice of a failed rank cannot cut into the message.
            let code = WeightLabCommand.exitCode(for: error)
            let message = WeightLabCommand.fullMessage(for: error)
            mpi.finalize()
            guard mpi.rank == 0 else { exit(0) }
            if code.isSuccess {
                if !message.isEmpty { print(message) }
            } else {
                FileHandle.standardError.write(Data("\(message)\n".utf8))
            }
            exit(code.rawValue)
        }
        FileHandle.standardError.write(Data("Error on rank \(mpi.rank) of \(mpi.size): \(WeightLabCommand.message(for: error))\n".utf8))
        mpi.abort(code: 1)
    }
}
