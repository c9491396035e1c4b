import Testing
@testable import WeightLabCore

/// `sizes[c]` samples of class c, in class order; sample i has the single feature i.
private func labelled(_ sizes: [Int]) -> Samples {
    let labels = sizes.enumerated().flatMap { c, size in [Int32](repeating: Int32(c), count: size) }
    return Samples(features: (0..<labels.count).map(Float.init), featureCount: 1, labels: labels)
}

@Suite("Splits and evaluation subsets")
struct DataSplitTests {
    @Test("largest-remainder quotas, worked by hand")
    func quotas() {
        // 3 of 10 over sizes 5, 3, 2: floors 1, 0, 0 with remainders 5, 9, 6 (in tenths);
        // the two units left go to the remainders 9 and 6.
        #expect(proportionalQuotas(of: [5, 3, 2], total: 3) == [1, 1, 1])
        // 7 of 10: floors 3, 2, 1 (remainders 5, 1, 4): the one unit left goes to the first.
        #expect(proportionalQuotas(of: [5, 3, 2], total: 7) == [4, 2, 1])
        // Equal remainders: the lower group first.
        #expect(proportionalQuotas(of: [1, 1, 1, 1], total: 2) == [1, 1, 0, 0])
        #expect(proportionalQuotas(of: [4, 6], total: 0) == [0, 0])
        #expect(proportionalQuotas(of: [4, 6], total: 10) == [4, 6])
    }

    @Test("a stratified split has exact part sizes, each class's share, disjoint parts covering every sample")
    func stratifiedSplit() throws {
        let samples = labelled([50, 30, 20])
        let parts = try samples.stratifiedSplit(validationFraction: 0.1, testFraction: 0.2, rng: RandomStream(seed: 1))
        #expect(parts.train.count == 70 && parts.validation.count == 10 && parts.test.count == 20)
        #expect(classCounts(parts.test, classCount: 3) == [10, 6, 4])
        #expect(classCounts(parts.validation, classCount: 3) == [5, 3, 2])
        #expect(classCounts(parts.train, classCount: 3) == [35, 21, 14])
        let all = parts.train.features + parts.validation.features + parts.test.features
        #expect(all.sorted() == samples.features)
        for part in [parts.train, parts.validation, parts.test] {
            #expect(part.features == part.features.sorted(), "original order kept")
            for (x, label) in zip(part.features, part.labels) { #expect(samples.labels[Int(x)] == label) }
        }
    }

    @Test("the split is a function of the stream: same seed same parts, another seed other parts")
    func seeded() throws {
        let samples = labelled([40, 40])
        let a = try samples.stratifiedSplit(testFraction: 0.25, rng: RandomStream(seed: 5))
        let b = try samples.stratifiedSplit(testFraction: 0.25, rng: RandomStream(seed: 5))
        let c = try samples.stratifiedSplit(testFraction: 0.25, rng: RandomStream(seed: 6))
        #expect(a.test == b.test && a.train == b.train)
        #expect(a.test != c.test)
    }

    @Test("regression samples split uniformly with the same exact sizes")
    func regressionSplit() throws {
        let samples = Samples(features: (0..<30).map(Float.init), featureCount: 1, targets: (0..<30).map { Float($0) * 2 }, targetWidth: 1)
        let parts = try samples.stratifiedSplit(validationFraction: 0.2, testFraction: 0.1, rng: RandomStream(seed: 2))
        #expect(parts.train.count == 21 && parts.validation.count == 6 && parts.test.count == 3)
        for part in [parts.train, parts.validation, parts.test] {
            #expect(part.targets == part.features.map { $0 * 2 })
        }
    }

    @Test("fractions outside [0, 1) or leaving no training sample are errors")
    func badFractions() {
        let samples = labelled([3, 3])
        expectError(mentioning: ["testFraction", "[0, 1)"]) { try samples.stratifiedSplit(testFraction: 1, rng: RandomStream(seed: 0)) }
        expectError(mentioning: ["validationFraction"]) {
            try samples.stratifiedSplit(validationFraction: -0.1, testFraction: 0.1, rng: RandomStream(seed: 0))
        }
        expectError(mentioning: ["leaves none for training"]) {
            try samples.stratifiedSplit(validationFraction: 0.5, testFraction: 0.45, rng: RandomStream(seed: 0))
        }
    }

    @Test("holding out validation takes it from training only; the test split is untouched")
    func holdingOutValidation() throws {
        let data = try Dataset.synthetic(.twoMoons(), trainCount: 100, testCount: 40)
        let held = try data.holdingOutValidation(fraction: 0.2, rng: RandomStream(seed: 9))
        #expect(held.test == data.test)
        #expect(held.train.count == 80 && held.validation.count == 20)
        #expect(classCounts(held.validation, classCount: 2) == [10, 10])
        #expect(Set(held.train.features + held.validation.features) == Set(data.train.features))
    }

    @Test("a fixed evaluation subset is class-balanced and the same for the same stream")
    func fixedSubset() throws {
        let samples = labelled([60, 30, 10])
        let subset = try samples.stratifiedSubset(size: 20, rng: RandomStream(seed: 4))
        #expect(classCounts(subset, classCount: 3) == [12, 6, 2])
        #expect(try samples.stratifiedSubset(size: 20, rng: RandomStream(seed: 4)) == subset)
        #expect(Set(subset.features).count == 20)
        expectError(mentioning: ["size", "1 ... 100"]) { try samples.stratifiedSubset(size: 101, rng: RandomStream(seed: 0)) }
    }
}
