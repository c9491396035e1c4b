/// Scratch memory for the lanes of one pass of a `NetworkObjective` (see
/// `NetworkObjective+Lanes.swift`): per lane a `Workspace`, a loss sum and a correct count, and
/// for gradient passes a gradient buffer (lane 0 writes its gradient into the caller's buffer,
/// so it has none here). Grown when a pass needs more lanes or rows, never shrunk, and reused,
/// so the steady-state training step allocates nothing. It belongs to one pass at a time: the
/// objective keeps a pool, like its pool of workspaces (hence unchecked `Sendable`).
final class LaneScratch: @unchecked Sendable {
    let network: Network
    /// One workspace per lane.
    private(set) var workspaces: [Workspace] = []
    /// The gradient buffers of lanes 1, 2, … (`network.parameterCount` floats each).
    private(set) var gradients: [UnsafeMutablePointer<Float>] = []
    /// The summed loss of each lane.
    let lossSums: UnsafeMutablePointer<Double>
    /// The correctly classified samples of each lane.
    let correctCounts: UnsafeMutablePointer<Int>

    init(network: Network) {
        self.network = network
        lossSums = .allocate(capacity: NetworkObjective.maximumLanes)
        correctCounts = .allocate(capacity: NetworkObjective.maximumLanes)
    }

    deinit {
        gradients.forEach { $0.deallocate() }
        lossSums.deallocate()
        correctCounts.deallocate()
    }

    /// Makes room for `lanes` lanes (at most `NetworkObjective.maximumLanes`) of up to `rows`
    /// samples per forward pass each, with gradient buffers when `gradients` is set.
    func reserve(lanes: Int, rows: Int, gradients needed: Bool) {
        while workspaces.count < lanes { workspaces.append(Workspace(network: network, capacity: rows)) }
        while needed && gradients.count < lanes - 1 { gradients.append(.allocate(capacity: network.parameterCount)) }
        for lane in 0..<lanes { workspaces[lane].reserve(rows) }
    }
}
