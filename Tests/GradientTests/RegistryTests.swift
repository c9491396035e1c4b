import Testing
import WeightLabCore
@testable import WeightLabGradient

/// The family's registry entries: names, defaults, and errors that name the field and range.
@Suite struct RegistryTests {
    static let registry: OptimizerRegistry = {
        var registry = OptimizerRegistry()
        GradientFamily.register(in: &registry)
        return registry
    }()

    static func make(_ text: String) throws -> any WeightOptimizer {
        try registry.make(OptimizerSpec(parsing: text))
    }

    @Test func registersEveryName() throws {
        let names = ["gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "clipup", "cg-fr", "cg-pr", "bfgs2", "steepest-descent"]
        #expect(Self.registry.names == names.sorted())
        #expect(Self.registry.all.allSatisfy { $0.family == "gradient" })
        for name in names { #expect(try Self.make(name).name == name) }
    }

    @Test func defaultsMatchPyTorch() throws {
        let sgd = try #require(try Self.make("sgd") as? SGD)
        #expect(sgd.settings.learningRate == 0.01 && sgd.rule.momentum == 0 && sgd.settings.batch == .miniBatch)
        let gd = try #require(try Self.make("gd") as? SGD)
        #expect(gd.settings.batch == .full)
        let momentum = try #require(try Self.make("momentum") as? SGD)
        #expect(momentum.rule.momentum == 0.9 && !momentum.rule.nesterov)
        let nesterov = try #require(try Self.make("nesterov") as? SGD)
        #expect(nesterov.rule.momentum == 0.9 && nesterov.rule.nesterov && nesterov.rule.dampening == 0)
        let adagrad = try #require(try Self.make("adagrad") as? AdaGrad)
        #expect(adagrad.settings.learningRate == 0.01 && adagrad.rule.learningRateDecay == 0 && adagrad.rule.epsilon == 1e-10 && adagrad.rule.initialAccumulator == 0)
        let rmsprop = try #require(try Self.make("rmsprop") as? RMSprop)
        #expect(rmsprop.settings.learningRate == 0.01 && rmsprop.rule.alpha == 0.99 && rmsprop.rule.epsilon == 1e-8 && rmsprop.rule.momentum == 0 && !rmsprop.rule.centered)
        let adam = try #require(try Self.make("adam") as? Adam)
        #expect(adam.settings.learningRate == 0.001 && adam.rule.beta1 == 0.9 && adam.rule.beta2 == 0.999 && adam.rule.epsilon == 1e-8 && !adam.rule.amsgrad)
        #expect(adam.settings.weightDecay == .none)
        let adamw = try #require(try Self.make("adamw") as? AdamW)
        #expect(adamw.settings.weightDecay == .decoupled(0.01) && adamw.settings.learningRate == 0.001)
        let cg = try #require(try Self.make("cg-pr") as? LineSearchMinimizer)
        #expect(cg.stepSize == 0.01 && cg.lineSearchTolerance == 0.01 && cg.restartEvery == 100 && cg.gradientTolerance == 0)
        let bfgs = try #require(try Self.make("bfgs2") as? LineSearchMinimizer)
        #expect(bfgs.restartEvery == 0)
    }

    @Test func readsParametersAndSchedules() throws {
        let adam = try #require(try Self.make(#"{"optimizer": "adam", "learningRate": 0.01, "beta2": 0.99, "amsgrad": true, "weightDecay": 0.1, "batch": "full", "schedule": {"kind": "step", "stepSize": 2, "gamma": 0.5}}"#) as? Adam)
        #expect(adam.settings.learningRate == 0.01 && adam.rule.beta2 == 0.99 && adam.rule.amsgrad)
        #expect(adam.settings.weightDecay == .coupled(0.1) && adam.settings.batch == .full)
        #expect(adam.settings.schedule == .stepDecay(stepSize: 2, gamma: 0.5))
        let cg = try #require(try Self.make(#"{"optimizer": "cg-fr", "restartEvery": 0, "lineSearchTolerance": 0.1, "stepSize": 0.5}"#) as? LineSearchMinimizer)
        #expect(cg.restartEvery == 0 && cg.lineSearchTolerance == 0.1 && cg.stepSize == 0.5)
    }

    @Test(arguments: [
        (#"{"optimizer": "sgd", "learningRate": -0.1}"#, "optimizer.learningRate = -0.1 is invalid for sgd: expected a finite number > 0"),
        (#"{"optimizer": "adam", "beta2": 1}"#, "optimizer.beta2 = 1 is invalid for adam: expected a number in [0, 1)"),
        (#"{"optimizer": "rmsprop", "alpha": 1.5}"#, "optimizer.alpha = 1.5 is invalid for rmsprop: expected a number in [0, 1]"),
        (#"{"optimizer": "adagrad", "epsilon": -1}"#, "optimizer.epsilon = -1 is invalid for adagrad: expected a finite number ≥ 0"),
        (#"{"optimizer": "nesterov", "dampening": 0.5}"#, "parameter 'nesterov' = true is invalid: allowed only with momentum > 0 and dampening = 0"),
        (#"{"optimizer": "cg-fr", "lineSearchTolerance": 0}"#, "optimizer.lineSearchTolerance = 0 is invalid for cg-fr: expected a number in (0, 1)"),
        (#"{"optimizer": "bfgs2", "restartEvery": -1}"#, "optimizer.restartEvery = -1 is invalid for bfgs2: expected an integer ≥ 0"),
        (#"{"optimizer": "sgd", "batch": "huge"}"#, "optimizer.batch = huge is invalid for sgd: expected one of mini, full"),
        (#"{"optimizer": "adam", "lr": 0.1}"#, "unknown parameter lr for adam; known: amsgrad, batch, beta1, beta2, epsilon, learningRate, schedule, weightDecay"),
        (#"{"optimizer": "adamw", "schedule": {"kind": "cosine"}}"#, "optimizer.schedule.period is required"),
    ])
    func rejectsInvalidParametersNamingTheFieldAndRange(_ text: String, _ message: String) {
        do {
            _ = try Self.make(text)
            Issue.record("\(text) was accepted")
        } catch let error as WeightLabError {
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func initializersValidateToo() {
        #expect(throws: WeightLabError.parameter("learningRate", Float(0), allowed: "a finite number > 0")) { try SGD(learningRate: 0) }
        #expect(throws: WeightLabError.parameter("beta1", Float(1), allowed: "a number in [0, 1)")) { try Adam(beta1: 1) }
        #expect(throws: WeightLabError.self) { try AdamW(weightDecay: .nan) }
        #expect(throws: WeightLabError.self) { try SGD(schedule: .cosine(period: 0, minimum: 0)) }
        #expect(throws: WeightLabError.self) { try LineSearchMinimizer(.bfgs2, stepSize: -1) }
    }
}
