import Foundation
import Testing
import WeightLabCore
@testable import WeightLabExperiments

private let valid = """
name: tiny
description: a small spec
dataset: {name: moons, samples: 200}
network: {hidden: [8], activation: tanh}
optimizer: {optimizer: plain-descent, learningRate: 0.1}
budget: {epochs: 2}
seeds: 3
baseline: fast
variants:
  - name: slow
    optimizer.learningRate: 0.01
  - name: fast
  - name: wide
    network: {hidden: [32]}
"""

@Suite struct SpecificationTests {
    @Test func readsAValidSpecWithDefaults() throws {
        let experiment = try spec(valid)
        #expect(experiment.name == "tiny")
        #expect(experiment.seeds == [1, 2, 3])
        #expect(experiment.variants.map(\.name) == ["slow", "fast", "wide"])
        #expect(experiment.baseline == "fast")
        #expect(experiment.comparison == Comparison(metric: .testAccuracy, test: .mannWhitney, alpha: 0.05))
        let slow = experiment.variants[0], fast = experiment.variants[1], wide = experiment.variants[2]
        #expect(slow.optimizer.parameters["learningRate"] == .number(0.01))
        #expect(fast.optimizer.parameters["learningRate"] == .number(0.1))
        #expect(fast.batchSize == 64)
        #expect(fast.dataset.validation == 0.1)
        #expect(fast.trace == .points(20))
        #expect(fast.fitness == .subset(size: 1024, resample: true))
        // An object merges key by key: the width changes, the activation stays.
        #expect(wide.network.hidden == [32])
        #expect(wide.network.activation == .tanh)
        #expect(Set(experiment.variants.map(\.fingerprint)).count == 3)
        try experiment.validate(with: testRegistry())
    }

    @Test func jsonReadsLikeYAML() throws {
        let json = "{\"name\": \"j\", \"dataset\": {\"name\": \"digits\"},\n\t\"optimizer\": \"plain-descent\", \"budget\": {\"units\": 1e3},\n\t\"variants\": [{\"name\": \"a\", \"batchSize\": 16.0, \"network.batchNorm\": true}]}"
        let experiment = try ExperimentSpec(SpecDocument.parse(json, file: "x.json", format: .json))
        #expect(experiment.variants[0].optimizer.name == "plain-descent")
        #expect(experiment.variants[0].budget.units == 1000)
        #expect(experiment.variants[0].batchSize == 16)
        #expect(experiment.variants[0].network.batchNorm)
    }

    @Test func gridExpandsTheCartesianProductOverEveryVariant() throws {
        let experiment = try spec("""
            name: grid
            dataset: {name: digits}
            optimizer: plain-descent
            budget: {units: 100}
            variants: [{name: a}, {name: b, batchSize: 8}]
            grid:
              optimizer.learningRate: [0.1, 0.01]
              network.hidden: [[16], [32, 32]]
            """)
        #expect(experiment.variants.map(\.name) == [
            "a hidden=[16] learningRate=0.1", "a hidden=[16] learningRate=0.01",
            "a hidden=[32, 32] learningRate=0.1", "a hidden=[32, 32] learningRate=0.01",
            "b hidden=[16] learningRate=0.1", "b hidden=[16] learningRate=0.01",
            "b hidden=[32, 32] learningRate=0.1", "b hidden=[32, 32] learningRate=0.01",
        ])
        #expect(experiment.variants[7].batchSize == 8)
        #expect(experiment.variants[7].network.hidden == [32, 32])
        #expect(experiment.variants[7].optimizer.parameters["learningRate"] == .number(0.01))
    }

    @Test func gridOverWholeOptimizerSpecsNestedIncluded() throws {
        let experiment = try spec("""
            name: hybrids
            dataset: {name: digits}
            budget: {units: 100}
            grid:
              optimizer:
                - {optimizer: plain-descent, learningRate: 0.5}
                - {optimizer: sequence, parts: [{optimizer: ga}, {optimizer: plain-descent}]}
            """)
        #expect(experiment.variants.count == 2)
        #expect(experiment.variants[0].name == "optimizer=plain-descent(learningRate=0.5)")
        #expect(experiment.variants[1].optimizer.name == "sequence")
        guard case .list(let parts)? = experiment.variants[1].optimizer.parameters["parts"] else {
            Issue.record("the nested parts were lost")
            return
        }
        #expect(parts.count == 2)
    }

    @Test func anOptimizerSpecReplacesTheBaseOneWhole() throws {
        let experiment = try spec("""
            name: replace
            dataset: {name: digits}
            optimizer: {optimizer: plain-descent, learningRate: 0.5}
            budget: {units: 100}
            variants:
              - {name: other, optimizer: {optimizer: ga, populationSize: 8}}
            """)
        #expect(experiment.variants[0].optimizer == OptimizerSpec(name: "ga", parameters: ["populationSize": .number(8)], path: "optimizer"))
    }

    @Test func seedsAsAList() throws {
        let experiment = try spec(valid.replacingOccurrences(of: "seeds: 3", with: "seeds: [7, 11]"))
        #expect(experiment.seeds == [7, 11])
    }

    @Test func quickModeShrinksBudgetsDataAndSeeds() throws {
        let text = """
            name: q
            dataset: {name: fashion-mnist, trainSubset: 500}
            optimizer: plain-descent
            budget: {units: 1000000, epochs: 10}
            variants: [{name: a}]
            """
        let experiment = try spec(text, quick: true)
        let variant = experiment.variants[0]
        #expect(experiment.seeds == [1, 2])
        #expect(variant.budget.units == 100_000 && variant.budget.epochs == 1)
        #expect(variant.dataset.trainSubset == 500 && variant.dataset.testSubset == 1000)
        #expect(try spec(text).variants[0].fingerprint != variant.fingerprint)
    }

    @Test func aQuickBlockReplacesTheAutomaticReduction() throws {
        let experiment = try spec("""
            name: q
            dataset: {name: digits}
            optimizer: plain-descent
            budget: {epochs: 10}
            variants: [{name: a, budget: {epochs: 20}}]
            quick: {seeds: 1, budget.epochs: 0.5}
            """, quick: true)
        #expect(experiment.seeds == [1])
        #expect(experiment.variants[0].budget.epochs == 0.5)
        #expect(experiment.variants[0].dataset.trainSubset == nil)
    }

    /// Every way a spec can be wrong, with the file, line and path the error must name.
    @Test(arguments: [
        ("name: 'a b'\n", "x.yaml:1: name: 'a b' names a directory"),
        ("description: x\n", "x.yaml: name: missing"),
        ("name: t\nfoo: 1\n", "x.yaml:2: foo: unknown field"),
        ("name: t\nseeds: 0\n", "x.yaml:2: seeds: 0 is out of range"),
        ("name: t\nseeds: []\n", "x.yaml:2: seeds: expected at least one seed"),
        ("name: t\nseeds: [1, 1]\n", "x.yaml:2: seeds: a seed is listed twice"),
        ("name: t\nseeds: [1, -2]\n", "x.yaml:2: seeds[1]: expected a seed"),
        ("name: t\nseeds: many\n", "x.yaml:2: seeds: expected a count of seeds"),
        ("name: t\nvariants: []\n", "x.yaml:2: variants: the list is empty"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\n", "x.yaml: variants: missing"),
        ("name: t\nvariants: [3]\n", "x.yaml:2: variants[0]: expected an object of fields"),
        ("name: t\nvariants:\n  - batchSize: 3\n", "x.yaml:3: variants[0].name: missing"),
        ("name: t\nvariants:\n  - name: a\n    colour: red\n", "x.yaml:4: variants[0].colour: 'colour' is not a setting"),
        ("name: t\nvariants:\n  - name: a\n    network..hidden: 3\n", "x.yaml:4: variants[0].network..hidden: 'network..hidden' is not a valid path"),
        ("name: t\ngrid: {batchSize: 3}\n", "x.yaml:2: grid.batchSize: expected a list"),
        ("name: t\ngrid: {batchSize: []}\n", "x.yaml:2: grid.batchSize: expected a non-empty list"),
        ("name: t\nvariants: [{name: a}]\n", "x.yaml: dataset: missing"),
        ("name: t\ndataset: {name: imagenet}\nvariants: [{name: a}]\n", "x.yaml:2: dataset.name: 'imagenet' is not one of"),
        ("name: t\ndataset: {name: digits, validation: 1.5}\nvariants: [{name: a}]\n", "x.yaml:2: dataset.validation: 1.5 is out of range"),
        ("name: t\ndataset: {name: csv}\nvariants: [{name: a}]\n", "x.yaml:2: dataset.path: missing"),
        ("name: t\ndataset: {name: digits, fallback: csv}\nvariants: [{name: a}]\n", "x.yaml:2: dataset.fallback: 'csv' is not one of"),
        ("name: t\ndataset: {name: digits, scaling: log}\nvariants: [{name: a}]\n", "x.yaml:2: dataset.scaling: 'log' is not one of"),
        ("name: t\ndataset: {name: digits, size: 3}\nvariants: [{name: a}]\n", "x.yaml:2: dataset.size: unknown field"),
        ("name: t\ndataset: {name: digits}\nnetwork: {hidden: [8, 0]}\nvariants: [{name: a}]\n", "x.yaml:3: network.hidden[1]: expected a layer width"),
        ("name: t\ndataset: {name: digits}\nnetwork: {activation: sine}\nvariants: [{name: a}]\n", "x.yaml:3: network.activation: 'sine' is not known"),
        ("name: t\ndataset: {name: digits}\nnetwork: {initializer: zeros}\nvariants: [{name: a}]\n", "x.yaml:3: network.initializer: 'zeros' is not known"),
        ("name: t\ndataset: {name: digits}\nnetwork: {dropout: 1}\nvariants: [{name: a}]\n", "x.yaml:3: network.dropout: 1 is out of range"),
        ("name: t\ndataset: {name: digits}\nnetwork: {batchNorm: 1}\nvariants: [{name: a}]\n", "x.yaml:3: network.batchNorm: expected true or false"),
        ("name: t\ndataset: {name: digits}\nvariants: [{name: a}]\n", "x.yaml: optimizer: missing"),
        ("name: t\ndataset: {name: digits}\noptimizer: {learningRate: 1}\nvariants: [{name: a}]\n", "x.yaml:3: optimizer: an optimizer specification needs an \"optimizer\" field"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nvariants: [{name: a}]\n", "x.yaml: budget: missing"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {}\nvariants: [{name: a}]\n", "x.yaml:4: budget: give at least one of units"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: -1}\nvariants: [{name: a}]\n", "x.yaml:4: budget.epochs: -1 is out of range"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\nbatchSize: 0\nvariants: [{name: a}]\n", "x.yaml:5: batchSize: 0 is out of range"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\nstopping: {patience: 3, monitor: accuracy}\nvariants: [{name: a}]\n", "x.yaml:5: stopping.monitor: 'accuracy' is not one of"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\ntrace: {epochs: 1, steps: 5}\nvariants: [{name: a}]\n", "x.yaml:5: trace: give exactly one of epochs, steps, points"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\nfitness: some\nvariants: [{name: a}]\n", "x.yaml:5: fitness: expected `all` or an object"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\nmetrics: [test-accuracy, beauty]\nvariants: [{name: a}]\n", "x.yaml:5: metrics[1]: 'beauty' is not a metric"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\ncomparison: {test: t-test}\nvariants: [{name: a}]\n", "x.yaml:5: comparison.test: 't-test' is not one of"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\nbaseline: b\nvariants: [{name: a}]\n", "x.yaml:5: baseline: 'b' is not a variant; the variants are: a"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\ntargetAccuracy: 2\nvariants: [{name: a}]\n", "x.yaml:5: targetAccuracy: 2 is out of range"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\nvariants: [{name: a}, {name: a}]\n", "x.yaml:5: variants[1].name: the variant name 'a' is used twice"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\nvariants: [{name: a, dataset.name.x: 1}]\n", "x.yaml:5: variants[0].dataset.name.x: dataset.name is a string, not an object"),
        ("name: t\ndataset: {name: digits}\nnetwork: {hidden: [8]}\noptimizer: plain-descent\nbudget: {epochs: 1}\nvariants:\n  - name: a\n    network.hidden[3]: 1\n", "x.yaml:8: variants[0].network.hidden[3]: network.hidden has 1 items; there is no item [3]"),
        ("name: t\ndataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\nvariants:\n  - name: a\n    optimizer.learningRate: fast\n", "x.yaml:7: variants[0].optimizer.learningRate = fast is invalid for plain-descent"),
    ] as [(String, String)])
    func invalidSpecsNameTheFieldAndItsPlace(yaml: String, expected: String) {
        let base = "dataset: {name: digits}\noptimizer: plain-descent\nbudget: {epochs: 1}\n"
        // Specs that stop before the settings are read are completed with valid settings below
        // their own lines, so the line numbers in `expected` stay those of the text above.
        let text = yaml.contains("dataset:") || yaml.contains("variants:") ? yaml : yaml + "variants: [{name: a}]\n" + base
        expectError(startingWith: expected) {
            try spec(text).validate(with: testRegistry())
        }
    }

    /// The registry's errors point at the line and path of the variant that wrote the value:
    /// an invalid value, an unknown parameter of the base optimizer, an unknown optimizer.
    @Test(arguments: [
        (
            "optimizer: {optimizer: plain-descent, learningRate: 0.1}\nbudget: {epochs: 1}\nvariants:\n  - name: a\n  - name: b\n    optimizer.learningRate: 50\n  - name: c\n    optimizer: {optimizer: annealing}\n",
            "x.yaml:8: variants[1].optimizer.learningRate = 50 is invalid for plain-descent"
        ),
        (
            "optimizer: {optimizer: plain-descent, momentum: 0.9}\nbudget: {epochs: 1}\nvariants: [{name: a}]\n",
            "x.yaml:3: optimizer: unknown parameter momentum for plain-descent"
        ),
        (
            "budget: {epochs: 1}\nvariants:\n  - {name: a, optimizer: plain-descent}\n  - name: b\n    optimizer: {optimizer: annealing}\n",
            "x.yaml:7: variants[1].optimizer: unknown optimizer 'annealing'"
        ),
    ] as [(String, String)])
    func registryErrorsPointAtTheVariantThatWroteTheValue(rest: String, expected: String) throws {
        let experiment = try spec("name: t\ndataset: {name: digits}\n" + rest)
        expectError(startingWith: expected) {
            try experiment.validate(with: testRegistry())
        }
    }

    @Test func threadsMustBeSetForEveryVariantOrNone() throws {
        let experiment = try spec("""
            name: t
            dataset: {name: digits}
            optimizer: plain-descent
            budget: {epochs: 1}
            variants: [{name: a, threads: 1}, {name: b}]
            """)
        #expect(throws: WeightLabError.self) { try experiment.validate(with: testRegistry()) }
    }

    @Test(arguments: [
        ("", "x.yaml: the file is empty"),
        ("[1, 2]", "x.yaml: the specification must be an object"),
        ("name: [unclosed", "x.yaml: not valid YAML"),
        ("name: t\nname: u\n", "x.yaml"),
        ("name: t\ndescription: ~\n", "x.yaml:2: description: expected a value"),
    ] as [(String, String)])
    func unreadableYAMLIsReported(yaml: String, expected: String) {
        expectError(startingWith: expected) {
            _ = try SpecDocument.parse(yaml, file: "x.yaml", format: .yaml)
        }
    }

    @Test func yamlAliasesReadAsTheirAnchoredValue() throws {
        let document = try SpecDocument.parse("name: &a t\ndescription: *a\n", file: "x.yaml", format: .yaml)
        #expect(document.root == .object(["name": .string("t"), "description": .string("t")]))
    }

    @Test func unreadableJSONAndFilesAreReported() throws {
        expectError(startingWith: "x.json:1: seeds: expected a value") {
            _ = try SpecDocument.parse(#"{"name": "t", "seeds": null}"#, file: "x.json", format: .json)
        }
        expectError(startingWith: "x.json: not valid JSON") {
            _ = try SpecDocument.parse(#"{"name": "#, file: "x.json", format: .json)
        }
        expectError(startingWith: "/nonexistent/x.yaml: cannot read the experiment specification") {
            _ = try SpecDocument.load(path: "/nonexistent/x.yaml")
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let binary = directory.appendingPathComponent("bad.yaml")
        try Data([0xff, 0xfe, 0x00, 0x41]).write(to: binary)
        expectError(startingWith: "\(binary.path): the specification is not UTF-8 text") {
            _ = try SpecDocument.load(path: binary.path)
        }
    }
}
