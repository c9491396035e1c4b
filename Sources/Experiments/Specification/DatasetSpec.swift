import WeightLab

/// Which data a variant trains and is tested on, and how it is split (the `dataset` field).
///
/// ```yaml
/// dataset:
///   name: fashion-mnist    # fashion-mnist, mnist, digits, moons, spirals, circles, csv
///   fallback: digits       # used when the first one's files are not installed
///   validation: 0.1        # share of the training set held out (stratified) for validation
///   trainSubset: 10000     # optional: train on a stratified subset of this size
///   testSubset: 2000       # optional: test on a stratified subset of this size
/// ```
public struct DatasetSpec: Sendable, Equatable {
    /// The names the `name` and `fallback` fields accept.
    public static let names = ["fashion-mnist", "mnist", "digits", "moons", "spirals", "circles", "csv"]
    /// The synthetic sets, generated from `samples`, `noise` and `seed`.
    public static let synthetic: Set = ["moons", "spirals", "circles"]

    public var name: String
    /// Used instead of `name` when its files are missing (Fashion-MNIST not installed, say).
    public var fallback: String?
    /// The directory (IDX sets) or file (CSV) to read; each set has a default location.
    public var path: String?
    /// The share of the training set held out for validation, in [0, 1).
    public var validation: Double
    /// Train on a stratified subset of this many samples.
    public var trainSubset: Int?
    /// Test on a stratified subset of this many samples.
    public var testSubset: Int?
    /// Synthetic sets: samples generated (split 80/20 into training and test).
    public var samples: Int
    /// Synthetic sets: the noise's standard deviation.
    public var noise: Double
    /// The seed of generation, splits and subsets: the same for every run of an experiment, so
    /// that every run sees the same data.
    public var seed: UInt64

    init(_ reader: FieldReader) throws {
        name = try reader.choice("name", from: Self.names) ?? { throw reader.error("name", "missing: the data set (one of \(Self.names.joined(separator: ", ")))") }()
        fallback = try reader.choice("fallback", from: Self.names)
        path = try reader.string("path")
        validation = try reader.number("validation", in: 0...0.9) ?? 0.1
        trainSubset = try reader.integer("trainSubset", atLeast: 2)
        testSubset = try reader.integer("testSubset", atLeast: 1)
        samples = try reader.integer("samples", atLeast: 10) ?? 1000
        noise = try reader.number("noise", in: 0...10) ?? 0.1
        seed = UInt64(try reader.integer("seed", atLeast: 0) ?? 0)
        if name == "csv" && path == nil {
            throw reader.error("path", "missing: a CSV data set needs the file's path")
        }
        try reader.finish()
    }
}
