/// The data sets the command line and experiment files name: `fashion-mnist`, `mnist:DIR`,
/// `digits`, `moons`, `spirals`, `xor`, `blobs`, `sine`, `csv:PATH`, `idx:DIR`, `cifar10:DIR`,
/// `imdb:DIR` (binary bag of words) and `imdb-tfidf:DIR`.
extension Dataset {
    /// The names `named(_:rng:)` accepts.
    public static let knownNames = [
        "fashion-mnist[:DIR]", "mnist:DIR", "digits", "moons", "spirals", "xor", "blobs", "sine",
        "csv:PATH", "idx:DIR", "cifar10:DIR", "imdb:DIR", "imdb-tfidf:DIR",
    ]

    /// The data set a name stands for. Synthetic sets and the split of single-file sets are drawn
    /// from `rng`; `syntheticCount` training samples (a quarter as many test samples) for
    /// synthetic sets.
    public static func named(_ name: String, syntheticCount: Int = 800, rng: RandomStream = RandomStream(seed: 0)) throws -> Dataset {
        let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
        let kind = parts.first?.lowercased() ?? ""
        let argument = parts.count == 2 ? parts[1] : nil
        func synthetic(_ data: SyntheticData) throws -> Dataset {
            guard argument == nil else { throw WeightLabError(.specification, "data set '\(name)': \(kind) takes no argument") }
            return try .synthetic(data, trainCount: syntheticCount, testCount: max(1, syntheticCount / 4), rng: rng)
        }
        func required(_ what: String) throws -> String {
            guard let argument, !argument.isEmpty else {
                throw WeightLabError(.specification, "data set '\(name)': expected \(kind):\(what)")
            }
            return argument
        }
        switch kind {
        case "fashion-mnist": return try .fashionMNIST(directory: argument ?? fashionMNISTDirectory)
        case "mnist": return try .mnist(directory: required("DIR"))
        case "idx":
            let directory = try required("DIR")
            return try .idx(directory: directory, name: directory)
        case "cifar10", "cifar-10": return try .cifar10(directory: required("DIR"))
        case "csv": return try .csv(train: required("PATH"), rng: rng)
        case "imdb": return try .imdb(directory: required("DIR"))
        case "imdb-tfidf": return try .imdb(directory: required("DIR"), weighting: .tfidf)
        case "digits":
            guard argument == nil else { throw WeightLabError(.specification, "data set '\(name)': digits takes no argument") }
            return try .digits(rng: rng)
        case "moons": return try synthetic(.twoMoons())
        case "spirals": return try synthetic(.twoSpirals())
        case "xor": return try synthetic(.xor(noise: 0.05))
        case "blobs": return try synthetic(.gaussianBlobs(classes: 3, dimensions: 2))
        case "sine": return try synthetic(.sine())
        default:
            throw WeightLabError(.specification, "unknown data set '\(name)'; known: \(knownNames.joined(separator: ", "))")
        }
    }
}
