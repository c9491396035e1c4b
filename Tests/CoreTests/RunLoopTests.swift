import Foundation
import Testing
import WeightLabCore
import WeightLabTestSupport

/// The run loop: stopping rules, the epoch definition, the trace, divergence, early stopping.
/// Expected values come from the update rules by hand: SGD on the sphere f(w) = Σwᵢ² with
/// learning rate η moves w ← w − 2ηw, and each step reports f before its update.
@Suite struct RunLoopTests {
    /// SGD with η = 0.25 halves w each step: from (1, −2), step k reports f = 5 / 4^(k−1).
    private func halving(_ stopping: [StoppingRule], measuresTrainingLoss: Bool = false) throws -> RunResult {
        let configuration = RunConfiguration(stopping: stopping, measuresTrainingLoss: measuresTrainingLoss)
        return try Trainer(MomentumSGD(learningRate: 0.25), on: sphereProblem(), configuration: configuration).run(from: [1, -2])
    }

    @Test func stepsRuleRecordsEveryStepOfAnAnalyticFunction() throws {
        let result = try halving([.steps(4)])
        #expect(result.status == .completed(.steps))
        #expect(result.steps == 4)
        #expect(result.weights == [1.0 / 16, -2.0 / 16])
        #expect(result.trace.rows.map(\.step) == [1, 2, 3, 4])
        #expect(result.trace.rows.map(\.loss) == [5, 1.25, 0.3125, 0.078125])
        // One value (1 unit) and one gradient (2 units) per step.
        #expect(result.trace.rows.map(\.costUnits) == [3, 6, 9, 12])
        #expect(result.costUnits == 12)
        #expect(result.trace.rows.allSatisfy { $0.epoch == nil && $0.learningRate == 0.25 })
        #expect(result.epochs == nil)
        #expect(result.trainingLoss == 0.078125)
    }

    /// The problem is immutable: the mini-batch cursor lives in each run's `RunState`, so two
    /// runs on one problem, one after the other, see the same batches and record the same rows.
    @Test func oneProblemServesRunsThatEachStartFromTheFirstBatch() throws {
        let problem = try blobProblem(batchSize: 4, dropout: 0, batchNorm: false)
        let configuration = RunConfiguration(stopping: [.steps(9)], seed: 5)
        let first = try Trainer(MomentumSGD(learningRate: 0.1, momentum: 0.9), on: problem, configuration: configuration).run()
        let second = try Trainer(MomentumSGD(learningRate: 0.1, momentum: 0.9), on: problem, configuration: configuration).run()
        #expect(first.weights.map(\.bitPattern) == second.weights.map(\.bitPattern))
        #expect(first.trace.rows.map(\.loss) == second.trace.rows.map(\.loss))
        #expect(first.costUnits == second.costUnits)
    }

    @Test func fullTrainingLossIsTheIncumbentsAndUncharged() throws {
        let result = try halving([.steps(3)], measuresTrainingLoss: true)
        // After step k the incumbent is (1, −2)/2^k, so f = 5 / 4^k.
        #expect(result.trace.rows.map(\.trainingLoss) == [1.25, 0.3125, 0.078125])
        #expect(result.costUnits == 9)
    }

    @Test func targetLossStopsAtTheFirstStepReachingIt() throws {
        // 5 / 4^(k−1) ≤ 0.1 first at k = 4 (0.078125; step 3 reports 0.3125).
        let result = try halving([.steps(100), .targetLoss(0.1)])
        #expect(result.status == .completed(.targetLoss))
        #expect(result.steps == 4)
    }

    @Test func costBudgetStopsAtTheFirstStepReachingIt() throws {
        // 3 units per step: 9 < 10 after step 3, 12 ≥ 10 after step 4.
        let result = try halving([.costUnits(10)])
        #expect(result.status == .completed(.costUnits))
        #expect(result.steps == 4)
        #expect(result.costUnits == 12)
    }

    @Test func theFirstListedRuleWinsWhenTwoFireTogether() throws {
        // After step 3 both 3 steps and 9 units are reached.
        #expect(try halving([.steps(3), .costUnits(9)]).status == .completed(.steps))
        #expect(try halving([.costUnits(9), .steps(3)]).status == .completed(.costUnits))
    }

    @Test func zeroWallSecondsStopsBeforeTheFirstStep() throws {
        let result = try halving([.wallSeconds(0), .steps(10)])
        #expect(result.status == .completed(.wallSeconds))
        #expect(result.steps == 0)
        #expect(result.weights == [1, -2])
        #expect(result.trace.rows.isEmpty)
        #expect(result.trainingLoss == nil)
    }

    @Test func optimizerFinishingEndsTheRunWithItsReason() throws {
        let configuration = RunConfiguration(stopping: [.steps(10)])
        let result = try Trainer(MomentumSGD(learningRate: 0.25, finishesAfter: 3), on: sphereProblem(), configuration: configuration).run(from: [1, -2])
        #expect(result.status == .completed(.optimizerFinished("converged")))
        #expect(result.steps == 3)
        #expect(result.trace.rows.count == 3)
    }

    @Test func anEpochIsThreeUnitsPerTrainingSampleForEveryMethod() throws {
        // 30 samples in batches of 8: 4 steps (8, 8, 8, 6 samples) cost 3 × 30 units: one epoch.
        let gradient = try Trainer(
            MomentumSGD(learningRate: 0.05), on: blobProblem(),
            configuration: RunConfiguration(stopping: [.epochs(2)])).run()
        #expect(gradient.status == .completed(.epochs))
        #expect(gradient.steps == 8)
        #expect(gradient.trace.rows.map(\.step) == [4, 8])
        #expect(gradient.trace.rows.map(\.epoch) == [1, 2])
        #expect(gradient.trace.rows.map(\.costUnits) == [90, 180])

        // Random search prices its start and each candidate on all 30 samples, forward only
        // (30 units): after k steps (k + 1) × 30 units, (k + 1) / 3 epochs.
        let search = try Trainer(RandomSearch(), on: blobProblem(), configuration: RunConfiguration(stopping: [.epochs(2)])).run()
        #expect(search.steps == 5)
        #expect(search.trace.rows.map(\.step) == [2, 5])
        #expect(search.trace.rows.map(\.epoch) == [1, 2])
    }

    @Test func epochRulesAreRejectedWithoutTrainingSamples() throws {
        let problem = try sphereProblem()
        let epochRule = weightLabError { _ = try Trainer(MomentumSGD(learningRate: 0.1), on: problem, configuration: RunConfiguration(stopping: [.epochs(1)])) }
        #expect(epochRule?.kind == .parameter)
        #expect(epochRule?.message.contains("epochs") == true)
        let epochRows = weightLabError {
            _ = try Trainer(MomentumSGD(learningRate: 0.1), on: problem, configuration: RunConfiguration(stopping: [.steps(1)], recording: .everyEpoch))
        }
        #expect(epochRows?.message.contains("epoch") == true)
    }

    @Test func configurationsThatCannotWorkAreRejected() throws {
        let problem = try blobProblem()
        func rejects(_ configuration: RunConfiguration) -> Bool {
            weightLabError { _ = try Trainer(MomentumSGD(learningRate: 0.1), on: problem, configuration: configuration) } != nil
        }
        let validation = blobs(perClass: 2, seed: 5)
        #expect(rejects(RunConfiguration(stopping: [.targetLoss(0)])))  // no budget: might never end
        #expect(rejects(RunConfiguration(stopping: [.steps(-1)])))
        #expect(rejects(RunConfiguration(stopping: [.wallSeconds(.nan)])))
        #expect(rejects(RunConfiguration(stopping: [.steps(5), .earlyStopping(EarlyStopping())])))  // no validation set
        #expect(rejects(RunConfiguration(stopping: [.steps(5), .earlyStopping(EarlyStopping(patience: 0))], validation: validation)))
        #expect(rejects(RunConfiguration(
            stopping: [.steps(5), .earlyStopping(EarlyStopping()), .earlyStopping(EarlyStopping())], validation: validation)))
        #expect(rejects(RunConfiguration(stopping: [.steps(5)], recording: .steps(0))))
        #expect(rejects(RunConfiguration(stopping: [.steps(5)], validation: Samples(features: [1, 2, 3], featureCount: 3, labels: [0]))))
        #expect(!rejects(RunConfiguration(stopping: [.steps(5), .earlyStopping(EarlyStopping())], validation: validation)))
    }

    @Test func validationIsMeasuredAtEveryRowWithoutCharge() throws {
        let validation = blobs(perClass: 4, seed: 21)
        let test = blobs(perClass: 4, seed: 22)
        let problem = try blobProblem()
        let result = try Trainer(
            MomentumSGD(learningRate: 0.05), on: problem,
            configuration: RunConfiguration(stopping: [.epochs(2)], validation: validation, test: test)).run()
        #expect(result.trace.rows.map(\.costUnits) == [90, 180])
        let objective = try #require(problem.objective as? NetworkObjective)
        #expect(result.trace.rows.last?.validationLoss == (try objective.evaluate(result.weights, on: validation)).loss)
        #expect(result.trace.rows.allSatisfy { $0.validationAccuracy != nil })
        #expect(result.test == (try objective.evaluate(result.weights, on: test)))
        #expect(result.validation == (try objective.evaluate(result.weights, on: validation)))
    }

    @Test func progressHookSeesEveryRowWithTheShareOfTheBudget() throws {
        var seen: [RunProgress] = []
        let result = try Trainer(MomentumSGD(learningRate: 0.25), on: sphereProblem(), configuration: RunConfiguration(stopping: [.steps(4)]))
            .run(from: [1, -2]) { seen.append($0) }
        #expect(seen.map(\.row) == result.trace.rows)
        #expect(seen.map(\.fractionComplete) == [0.25, 0.5, 0.75, 1])
    }

    @Test func rowsEveryNStepsEndWithAClosingRow() throws {
        let configuration = RunConfiguration(stopping: [.steps(7)], recording: .steps(3))
        let result = try Trainer(MomentumSGD(learningRate: 0.25), on: sphereProblem(), configuration: configuration).run(from: [1, -2])
        #expect(result.trace.rows.map(\.step) == [3, 6, 7])
        // The closing row averages the one step since the previous row; the others three each.
        #expect(result.trace.rows[0].averageLoss == (5 + 1.25 + 0.3125) / 3)
        #expect(result.trace.rows[2].averageLoss == result.trace.rows[2].loss)
    }

    /// Linear regression y = a·x + b by full-batch gradient descent: the training targets are
    /// 2x, the validation targets x. From a = b = 0 with x = ±1, MSE's gradient is 2(a − 2) in a
    /// and 2b = 0 in b, so with η = 0.1, a_k = 2(1 − 0.8^k): 0.4, 0.72, 0.976, 1.1808, …
    /// The validation loss (a − 1)² falls until step 3, then rises.
    private func regression() throws -> (problem: Problem, validation: Samples) {
        let network = try Network.perceptron(inputs: 1, hidden: [], outputs: 1)
        let objective = NetworkObjective(network: network, loss: .meanSquaredError)
        let training = Samples(features: [-1, 1], featureCount: 1, targets: [-2, 2], targetWidth: 1)
        let validation = Samples(features: [-1, 1], featureCount: 1, targets: [-1, 1], targetWidth: 1)
        let problem = try Problem(objective: objective, training: training) { _ in [0, 0] }
        return (problem, validation)
    }

    @Test func earlyStoppingRestoresTheBestValidatedWeights() throws {
        let (problem, validation) = try regression()
        let sgd = MomentumSGD(learningRate: 0.1)
        let rule = EarlyStopping(metric: .validationLoss, patience: 2)
        let result = try Trainer(sgd, on: problem, configuration: RunConfiguration(
            stopping: [.steps(50), .earlyStopping(rule)], recording: .everyStep, validation: validation)).run(from: [0, 0])
        // Best at step 3; steps 4 and 5 do not improve: patience 2 is spent at step 5.
        #expect(result.status == .completed(.earlyStopping))
        #expect(result.steps == 5)
        #expect(result.restoredStep == 3)
        #expect(isApproximatelyEqual(result.weights[0], 0.976, absolute: 1e-5))
        #expect(result.weights[1] == 0)

        // The same weights by stepping the optimizer by hand, bit for bit.
        let (fresh, _) = try regression()
        var rng = RunState(rng: RandomStream(seed: 0))
        var state = try sgd.start(fresh, from: [0, 0], run: &rng)
        for _ in 0..<3 { _ = try sgd.step(&state, fresh, run: &rng) }
        #expect(result.weights == sgd.incumbent(state))
        #expect(try #require(result.validation).loss == (try #require(fresh.objective as? NetworkObjective)).evaluate(state.weights, on: validation).loss)

        // Without restoring, the last weights: a_5 = 2(1 − 0.8⁵) = 1.34464.
        let (again, _) = try regression()
        let last = try Trainer(sgd, on: again, configuration: RunConfiguration(
            stopping: [.steps(50), .earlyStopping(EarlyStopping(patience: 2, restoreBestWeights: false))],
            recording: .everyStep, validation: validation)).run(from: [0, 0])
        #expect(last.steps == 5)
        #expect(isApproximatelyEqual(last.weights[0], 1.34464, absolute: 1e-5))
        #expect(last.restoredStep == nil)
    }

    @Test func minDeltaDemandsAClearImprovement() throws {
        // Validation losses 0.36, 0.0784, 0.000576, 0.0327, …: with minDelta 0.1, step 2
        // improves on step 1 by 0.28 and counts, step 3 by 0.078 does not: stale at steps 3 and 4.
        let (problem, validation) = try regression()
        let result = try Trainer(MomentumSGD(learningRate: 0.1), on: problem, configuration: RunConfiguration(
            stopping: [.steps(50), .earlyStopping(EarlyStopping(patience: 2, minDelta: 0.1))],
            recording: .everyStep, validation: validation)).run(from: [0, 0])
        #expect(result.restoredStep == 2)
        #expect(result.steps == 4)
    }

    @Test func aHugeLearningRateDivergesCleanlyOnAnAnalyticFunction() throws {
        // By hand: w ← w − η·2w with η = 1e6 multiplies w by about −2e6 per step; step k reports
        // f(w_{k−1}) (computed in Double, returned as Float). The first non-finite report ends the run.
        let eta: Float = 1e6
        var iterates: [[Float]] = [[1, 1]]
        while iterates.count < 20 { iterates.append(iterates.last!.map { $0 - eta * (2 * $0) }) }
        let reports = iterates.map { w in Float(w.reduce(0.0) { $0 + Double($1) * Double($1) }) }
        let divergedStep = try #require(reports.firstIndex { !$0.isFinite }) + 1
        #expect(divergedStep == 5)

        let result = try Trainer(MomentumSGD(learningRate: eta), on: sphereProblem(), configuration: RunConfiguration(stopping: [.steps(100)]))
            .run(from: [1, 1])
        #expect(result.status == .diverged(step: divergedStep))
        #expect(result.steps == divergedStep - 1)
        // The last finite incumbent: the weights after step 4.
        #expect(result.weights == iterates[divergedStep - 1])
        #expect(result.trainingLoss == reports[divergedStep - 2])
        #expect(result.trace.rows.count == divergedStep - 1)
        #expect(result.trace.rows.allSatisfy { $0.loss.isFinite })
    }

    @Test func aHugeLearningRateDivergesCleanlyOnANetwork() throws {
        let problem = try blobProblem(dropout: 0, batchNorm: false)
        let result = try Trainer(MomentumSGD(learningRate: 1e6), on: problem, configuration: RunConfiguration(
            stopping: [.steps(500)], validation: blobs(perClass: 3, seed: 31), test: blobs(perClass: 3, seed: 32))).run()
        guard case .diverged(let step) = result.status else {
            Issue.record("expected divergence, got \(result.status)")
            return
        }
        #expect(step > 0 && step <= 500)
        #expect(result.weights.allSatisfy { $0.isFinite })
        // Nothing non-finite anywhere: a plain JSONEncoder (which throws on NaN and infinity) accepts it.
        _ = try JSONEncoder().encode(result)
    }

    @Test func traceWritesCSVWithEmptyAbsentFieldsAndQuotedParts() throws {
        let trace = Trace(rows: [
            TraceRow(step: 4, epoch: 1, costUnits: 90, wallSeconds: 0.25, loss: 0.5, averageLoss: 0.75,
                     trainingLoss: 0.4, trainingAccuracy: 0.9, validationLoss: 0.6, validationAccuracy: 0.8,
                     learningRate: 0.01, part: "adam, then ga"),
            TraceRow(step: 5, epoch: nil, costUnits: 93, wallSeconds: 1, loss: 2, averageLoss: .infinity, validationLoss: .nan),
        ])
        #expect(trace.csv == """
            step,epoch,cost_units,wall_seconds,loss,average_loss,training_loss,training_accuracy,validation_loss,validation_accuracy,learning_rate,part
            4,1.0,90,0.25,0.5,0.75,0.4,0.9,0.6,0.8,0.01,"adam, then ga"
            5,,93,1.0,2.0,inf,,,nan,,,

            """)
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("trace.csv")
        try trace.writeCSV(to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == trace.csv)
    }

    @Test func traceAndStatusRoundTripThroughJSON() throws {
        let trace = Trace(rows: [TraceRow(step: 1, epoch: 0.5, costUnits: 3, wallSeconds: 0.1, loss: 1, averageLoss: -.infinity, part: "x")])
        let data = try JSONCoding.encoder().encode(trace)
        #expect(try JSONCoding.decoder().decode(Trace.self, from: data) == trace)

        let statuses: [RunStatus] = [.completed(.steps), .completed(.optimizerFinished("GSL_ENOPROG")), .diverged(step: 12)]
        let encoded = try statuses.map { String(decoding: try JSONCoding.encoder().encode($0), as: UTF8.self) }
        #expect(encoded == [
            #"{"reason":"steps","status":"completed"}"#,
            #"{"message":"GSL_ENOPROG","reason":"optimizer-finished","status":"completed"}"#,
            #"{"status":"diverged","step":12}"#,
        ])
        #expect(try encoded.map { try JSONCoding.decoder().decode(RunStatus.self, from: Data($0.utf8)) } == statuses)
    }
}
