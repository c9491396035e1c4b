import ArgumentParser
import Foundation
import WeightLab

/// `weightlab train`: trains one network and prints its result.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one network with any registered optimizer and print its test result.",
        discussion: """
            Examples:
              weightlab train --dataset fashion-mnist --hidden 256,128 --optimizer adam --epochs 10
              weightlab train --dataset digits --optimizer ga --population-size 50 --generations 200
              weightlab train --dataset fashion-mnist --optimizer adam --epochs 15 \\
                --layers 'conv(32, 3, padding: 1), relu, maxpool(2), conv(64, 3, padding: 1), relu, maxpool(2), dense(128), relu' \\
                --augment 'crop(2), flip' 
              weightlab train --dataset moons --optimizer '{"optimizer": "sgd", "learningRate": 0.1}' --json

            With --json the result is one object with the keys dataset, optimizer, parameters, \
            status, test_accuracy, test_loss, train_loss, validation_accuracy, epochs, steps, \
            cost_units, wall_seconds (the whole run) and step_seconds (inside the optimizer's \
            steps alone: training samples per second is epochs × training samples / step_seconds).

            Under mpirun every rank runs the same training in lockstep: population methods share \
            each generation's individuals among the ranks (only fitness values travel), gradient \
            methods each batch's lanes; rank 0 alone prints and writes the checkpoint, trace and \
            weights. The same seed gives the same trace for any rank count (docs/scale-out.md).

            SIGINT or SIGTERM stops the run at the next step boundary: with --checkpoint the \
            checkpoint is written there, and the command exits with 130 (SIGINT) or 143 \
            (SIGTERM) and one line saying to rerun it with --resume (not under mpirun).
            """)

    @Option(help: "The data set: \(Dataset.knownNames.joined(separator: ", ")).")
    var dataset: String = "digits"

    @Option(help: "Hidden layer widths, comma-separated (empty for none).")
    var hidden: String = "128"

    @Option(help: "The hidden layers, replacing --hidden: items such as conv(32, 3, padding: same), maxpool(2), globalavgpool, dense(128), dropout(0.2), batchnorm, relu (docs/core.md); the output layer is added.")
    var layers: String?

    @Option(help: "Transform each training mini-batch of images: crop(padding), flip, erase(probability), translate(fraction), comma-separated.")
    var augment: String?

    @Flag(help: "Augment population methods' fitness batches too.")
    var augmentFitness = false

    @Option(help: "The hidden layers' activation: \(Activation.names.joined(separator: ", ")) (PARAM after a colon, e.g. leaky-relu:0.1).")
    var activation: String = "relu"

    @Option(name: .customLong("init"), help: "The weight initializer: \(Initializer.names.joined(separator: ", ")).")
    var initializer: String = "he-normal"

    @OptionGroup(title: "Optimizer") var optimizerOptions: OptimizerOptions

    @Option(help: "Samples per mini-batch for stochastic methods.")
    var batchSize: Int = 128

    @OptionGroup(title: "Stopping") var stopping: StoppingOptions

    @Option(help: "Stop when validation loss has not improved for this many recorded epochs, restoring the best weights.")
    var earlyStopping: Int?

    @Option(help: "L1 penalty on the dense weights and convolution kernels.")
    var l1: Float = 0

    @Option(help: "L2 penalty (λ/2·Σw²) on the dense weights and convolution kernels.")
    var l2: Float = 0

    @Option(help: "Dropout rate after each hidden layer, in [0, 1).")
    var dropout: Float = 0

    @Flag(help: "Batch normalization before each hidden activation.")
    var batchNorm = false

    @Option(help: "Share of the training set held out for validation.")
    var validationFraction: Double = 0.1

    @Option(help: "Training samples population methods price each generation on (default: all).")
    var fitnessSamples: Int?

    @Flag(help: "Draw the fitness samples afresh every generation instead of keeping one fixed subset.")
    var resampleFitness = false

    @Option(help: "Save a checkpoint to this file (atomically) every --checkpoint-every steps.")
    var checkpoint: String?

    @Option(help: "Steps between checkpoints.")
    var checkpointEvery: Int = 500

    @Flag(help: "Resume the run saved in --checkpoint.")
    var resume = false

    @Option(help: "Write the trained weights here: NumPy when the name ends in .npy, else WeightLab's format (docs/core.md).")
    var save: String?

    @Option(help: "Write the trace (one row per recorded epoch or step) to this CSV file.")
    var trace: String?

    @OptionGroup var common: CommonOptions

    mutating func validate() throws {
        if Cluster.world.size > 1 && stopping.seconds != nil {
            throw ValidationError("--seconds: under mpirun the ranks would stop at different steps; give --steps, --generations, --epochs or --budget")
        }
    }

    mutating func run() throws {
        try common.apply()
        try OutputPaths.check(files: [("--save", save), ("--trace", trace), ("--checkpoint", checkpoint)])
        let rng = RandomStream(seed: common.seed)
        var data = try Dataset.named(dataset, rng: rng.split(0))
        if data.validation.count == 0 && validationFraction > 0 {
            data = try data.holdingOutValidation(fraction: validationFraction, rng: rng.split(1))
        }
        let fields = hidden.trimmingCharacters(in: .whitespaces).isEmpty ? [] : hidden.split(separator: ",", omittingEmptySubsequences: false)
        let widths = try fields.map { field -> Int in
            guard let width = Int(field.trimmingCharacters(in: .whitespaces)), width >= 1 else {
                throw ValidationError("--hidden: '\(field)' is not a positive integer")
            }
            return width
        }
        let outputs = data.classCount ?? data.train.targetWidth
        if layers != nil && (dropout > 0 || batchNorm) {
            throw ValidationError("--dropout and --batch-norm shape --hidden layers; with --layers write dropout(rate) and batchnorm among the items")
        }
        let network = try layers.map { try LayerGrammar(parsing: $0).network(inputWidth: data.featureCount, imageShape: data.imageShape, outputs: outputs) }
            ?? Network.perceptron(
                inputs: data.featureCount, hidden: widths, outputs: outputs,
                activation: Activation(parsing: activation), dropout: dropout, batchNorm: batchNorm)
        let augmentation = try augment.map { try TrainingAugmentation(parsing: $0, for: data, appliesToFitness: augmentFitness) }
        var plan = stopping.plan(fallback: StoppingPlan(epochs: 10))
        plan.earlyStopping = earlyStopping.map { EarlyStopping(patience: $0) }
        let run = try NetworkRun(NetworkRunDescription(
            dataset: data, network: network, regularizer: try Regularizer(l1: l1, l2: l2), initializer: try Initializer(parsing: self.initializer),
            batchSize: batchSize, fitness: fitnessSamples.map { resampleFitness ? .resampled(size: $0) : .fixed(size: $0) } ?? .all,
            problemStream: rng.split(2), optimizer: try optimizerOptions.specification(), stopping: plan,
            checkpoint: checkpoint.flatMap { Cluster.world.isRoot ? CheckpointPolicy(url: URL(fileURLWithPath: $0), everySteps: checkpointEvery) : nil },
            seed: common.seed, ranks: Cluster.world, augmentation: augmentation,
            interruption: WeightLabCommand.watchForInterruption()), registry: OptimizerRegistry.standard)
        let trainer = run.trainer
        let display = ProgressDisplay(quiet: !Cluster.world.isRoot)
        let result: RunResult
        if resume {
            guard let checkpoint else { throw ValidationError("--resume needs --checkpoint naming the file to resume") }
            result = try trainer.resume(from: URL(fileURLWithPath: checkpoint), onRecord: display.show)
        } else {
            result = try trainer.run(onRecord: display.show)
        }
        display.finish()
        guard Cluster.world.isRoot else { return }
        if let save { try WeightsFile.write(result.weights, of: network, to: save) }
        if let trace { try result.trace.writeCSV(to: URL(fileURLWithPath: trace)) }
        try report(result, data: data, network: network)
    }

    private func report(_ result: RunResult, data: Dataset, network: Network) throws {
        if common.json {
            try printJSON([
                "dataset": .string(data.name),
                "optimizer": .string(result.optimizer),
                "parameters": .number(Double(network.parameterCount)),
                "status": .string(result.status.description),
                "test_accuracy": .number(finite: result.test?.accuracy),
                "test_loss": .number(finite: result.test?.loss),
                "train_loss": .number(finite: result.trainingLoss),
                "validation_accuracy": .number(finite: result.validation?.accuracy),
                "epochs": result.epochs.map(SpecValue.number) ?? .null,
                "steps": .number(Double(result.steps)),
                "cost_units": .number(Double(result.costUnits)),
                "wall_seconds": .number(result.wallSeconds),
                "step_seconds": .number(result.stepSeconds),
            ])
            return
        }
        print("\(data.name): \(network.parameterCount) weights, \(data.train.count) training samples, optimizer \(result.optimizer)")
        print("status       \(result.status)")
        print(String(format: "epochs       %.2f (%d steps, %d cost units, %.1f s, %.1f s in steps)", result.epochs ?? 0, result.steps, result.costUnits, result.wallSeconds, result.stepSeconds))
        if let loss = result.trainingLoss { print(String(format: "train loss   %.4f", loss)) }
        if let test = result.test {
            print(String(format: "test loss    %.4f", test.loss))
            if let accuracy = test.accuracy { print(String(format: "test acc     %.4f", accuracy)) }
        }
    }
}
