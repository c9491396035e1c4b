extension Samples {
    /// Splits the samples into disjoint training, validation and test parts, drawn from `rng`.
    ///
    /// Classification samples are split stratified: each class is divided in the same
    /// proportions, so every part keeps the class balance of the whole. The part sizes are
    /// exactly round(n · fraction), shared among the classes by largest remainder (Hamilton's
    /// method), so each class contributes its proportional share rounded up or down.
    /// Regression samples are split uniformly at random. Within a part, samples keep their
    /// original order; which samples land where depends only on the labels and `rng`.
    ///
    /// Like scikit-learn's `train_test_split(..., stratify=y)` applied twice, in one step.
    public func stratifiedSplit(
        validationFraction: Double = 0, testFraction: Double, rng: RandomStream
    ) throws -> (train: Samples, validation: Samples, test: Samples) {
        for (name, fraction) in [("validationFraction", validationFraction), ("testFraction", testFraction)] {
            guard fraction.isFinite, fraction >= 0, fraction < 1 else {
                throw WeightLabError.parameter(name, fraction, allowed: "a fraction in [0, 1)")
            }
        }
        let n = count
        let testTotal = Int((Double(n) * testFraction).rounded())
        let validationTotal = Int((Double(n) * validationFraction).rounded())
        guard n - testTotal - validationTotal >= 1 else {
            throw WeightLabError(
                .parameter,
                "a split of \(n) samples into \(validationTotal) validation and \(testTotal) test samples leaves none for training")
        }
        var random = rng
        let groups = shuffledClassGroups(rng: &random)
        let sizes = groups.map(\.count)
        let testQuotas = proportionalQuotas(of: sizes, total: testTotal)
        let validationQuotas = proportionalQuotas(of: zip(sizes, testQuotas).map { $0 - $1 }, total: validationTotal)
        var parts: [[Int]] = [[], [], []]
        for (c, group) in groups.enumerated() {
            let testEnd = testQuotas[c]
            let validationEnd = testEnd + validationQuotas[c]
            parts[2] += group[..<testEnd]
            parts[1] += group[testEnd..<validationEnd]
            parts[0] += group[validationEnd...]
        }
        let chosen = parts.map { subset($0.sorted()) }
        return (chosen[0], chosen[1], chosen[2])
    }

    /// A fixed, class-balanced subset of `size` samples drawn once from `rng`, in original order:
    /// the evaluation subset population methods price every individual on. Each class
    /// contributes its proportional share (largest remainder), as in `stratifiedSplit`.
    public func stratifiedSubset(size: Int, rng: RandomStream) throws -> Samples {
        guard size >= 1, size <= count else {
            throw WeightLabError.parameter("size", size, allowed: "1 ... \(count) (the number of samples)")
        }
        var random = rng
        let groups = shuffledClassGroups(rng: &random)
        let quotas = proportionalQuotas(of: groups.map(\.count), total: size)
        var chosen: [Int] = []
        chosen.reserveCapacity(size)
        for (group, quota) in zip(groups, quotas) { chosen += group[..<quota] }
        return subset(chosen.sorted())
    }

    /// The sample indices of each class in increasing label order, each group shuffled; one
    /// group holding every index for regression samples.
    func shuffledClassGroups(rng: inout RandomStream) -> [[Int]] {
        var groups: [[Int]]
        if isClassification, !labels.isEmpty {
            var byLabel: [Int32: [Int]] = [:]
            for (i, label) in labels.enumerated() { byLabel[label, default: []].append(i) }
            groups = byLabel.keys.sorted().map { byLabel[$0] ?? [] }
        } else {
            groups = [Array(0..<count)]
        }
        for g in groups.indices { rng.shuffle(&groups[g]) }
        return groups
    }
}

/// Shares `total` among groups in proportion to `sizes` by largest remainder (Hamilton's
/// method): each group gets ⌊total·size/n⌋, and the units left over go to the largest
/// fractional parts, ties to the lower group. No group gets more than its size when total ≤ n.
func proportionalQuotas(of sizes: [Int], total: Int) -> [Int] {
    let n = sizes.reduce(0, +)
    guard n > 0 else { return sizes.map { _ in 0 } }
    var quotas = sizes.map { $0 * total / n }
    let leftOver = total - quotas.reduce(0, +)
    let byRemainder = sizes.indices.sorted { a, b in
        let (ra, rb) = (sizes[a] * total % n, sizes[b] * total % n)
        return ra != rb ? ra > rb : a < b
    }
    for group in byRemainder.prefix(leftOver) { quotas[group] += 1 }
    return quotas
}

extension Dataset {
    /// A data set from one set of samples, split stratified into training, validation and test
    /// parts (see `Samples.stratifiedSplit`).
    public init(
        name: String, splitting samples: Samples, classCount: Int?, featureShape: [Int],
        classNames: [String]? = nil, validationFraction: Double = 0, testFraction: Double, rng: RandomStream
    ) throws {
        let parts = try samples.stratifiedSplit(validationFraction: validationFraction, testFraction: testFraction, rng: rng)
        try self.init(
            name: name, train: parts.train, validation: parts.validation, test: parts.test,
            classCount: classCount, featureShape: featureShape, classNames: classNames)
    }

    /// This data set with a stratified `fraction` of its training samples moved to
    /// `validation` (replacing any validation samples it had); the test split is untouched.
    public func holdingOutValidation(fraction: Double, rng: RandomStream) throws -> Dataset {
        let parts = try train.stratifiedSplit(validationFraction: fraction, testFraction: 0, rng: rng)
        var result = self
        result.train = parts.train
        result.validation = parts.validation
        return result
    }
}
