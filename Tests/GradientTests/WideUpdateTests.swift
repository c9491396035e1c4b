import Foundation
import Testing
import WeightLabCore
@testable import WeightLabGradient

/// The update rules on 66,000 weights, which `Parallelism.forEachRange` splits into two blocks
/// run on separate threads: 22,000 independent copies of `FiveSteps`' quadratic side by side,
/// so every copy, in either block, must follow the PyTorch reference trajectory written out in
/// `FirstOrderStepTests`. Each trajectory has its thread count to itself (`Parallelism.withThreadCount`).
@Suite struct WideUpdateTests {
    static let copies = 22_000

    enum Rule: String, CaseIterable, Sendable {
        case sgd, heavyBall, nesterov, adagrad, rmsprop, rmspropCenteredMomentum, adam, amsgrad, adamW

        /// The optimizer and the reference trajectory of one copy.
        func setup() throws -> (any WeightOptimizer, [[Double]]) {
            typealias R = FirstOrderStepTests
            switch self {
            case .sgd:
                return (try SGD(learningRate: 0.1), R.sgd(rate: { _ in 0.1 }))
            case .heavyBall:
                return (try SGD(learningRate: 0.05, momentum: 0.9, dampening: 0.25, weightDecay: 0.05),
                        R.sgd(rate: { _ in 0.05 }, momentum: 0.9, dampening: 0.25, weightDecay: 0.05))
            case .nesterov:
                return (try SGD(learningRate: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.05),
                        R.sgd(rate: { _ in 0.05 }, momentum: 0.8, nesterov: true, weightDecay: 0.05))
            case .adagrad:
                return (try AdaGrad(learningRate: 0.5, learningRateDecay: 0.1, weightDecay: 0.05, initialAccumulator: 0.1),
                        R.adagrad(rate: 0.5, decay: 0.1, weightDecay: 0.05, initial: 0.1, epsilon: 1e-10))
            case .rmsprop:
                return (try RMSprop(), R.rmsprop(rate: 0.01, alpha: 0.99, epsilon: 1e-8))
            case .rmspropCenteredMomentum:
                return (try RMSprop(learningRate: 0.05, alpha: 0.9, weightDecay: 0.05, momentum: 0.5, centered: true),
                        R.rmsprop(rate: 0.05, alpha: 0.9, epsilon: 1e-8, weightDecay: 0.05, momentum: 0.5, centered: true))
            case .adam:
                return (try Adam(learningRate: 0.1, weightDecay: 0.05), R.adam(rate: { _ in 0.1 }, weightDecay: 0.05))
            case .amsgrad:
                return (try Adam(learningRate: 0.1, beta2: 0.5, amsgrad: true), R.adam(rate: { _ in 0.1 }, beta2: 0.5, amsgrad: true))
            case .adamW:
                return (try AdamW(learningRate: 0.1, weightDecay: 0.2, schedule: .exponential(gamma: 0.8)),
                        R.adam(rate: { t in 0.1 * pow(0.8, Double(t - 1)) }, weightDecay: 0.2, decoupled: true))
            }
        }
    }

    /// Five steps of `optimizer` on the wide quadratic with `threads` threads.
    func wideTrajectory(_ optimizer: some WeightOptimizer, threads: Int) throws -> [[Double]] {
        try Parallelism.withThreadCount(threads) { try wideTrajectory(optimizer) }
    }

    func wideTrajectory(_ optimizer: some WeightOptimizer) throws -> [[Double]] {
        let wide = QuadraticFunction(matrix: FiveSteps.matrix, minimizer: FiveSteps.minimizer, copies: Self.copies)
        let start = Array([[Double]](repeating: FiveSteps.start, count: Self.copies).joined())
        return try FiveSteps.run(optimizer, on: wide, from: start)
    }

    @Test(arguments: Rule.allCases)
    func everyCopyFollowsThePublishedRule(_ rule: Rule) throws {
        #expect(Self.copies * 3 >= 2 * Parallelism.elementsPerBlock, "the update must split into blocks")
        let (optimizer, expected) = try rule.setup()
        var worst = 0.0
        for (step, weights) in try wideTrajectory(optimizer, threads: 2).enumerated() {
            for (index, w) in weights.enumerated() {
                let e = expected[step][index % 3]
                let error = abs(w - e) / abs(e)
                if !(error <= worst) { worst = error }  // a NaN becomes the worst
            }
        }
        #expect(worst <= 1e-5, "\(rule): the largest relative error over all copies is \(worst)")
    }
}
