import WeightLab

/// Which data a variant trains and is tested on, and how it is split (the `dataset` field).
///
/// ```yaml
/// dataset:
///   name: fashion-mnist    # see `names`
///   fallback: digits       # used when the first one's files are not installed
///   validation: 0.1        # share of the training samples held out (stratified) for validation
///   trainSubset: 10000     # optional: a stratified subset of the training split, drawn first
///   testSubset: 2000       # optional: a stratified subset of the test split
/// ```
public struct DatasetSpec: Sendable, Hashable {
    /// The names `name` and `fallback` accept: the sets `Dataset.named` loads.
    public static let names = ["fashion-mnist", "mnist", "digits", "moons", "spirals", "xor", "blobs", "sine", "csv", "idx", "cifar10", "imdb", "imdb-tfidf"]
    /// The sets generated from `samples` and `seed`.
    public static let synthetic: Set = ["moons", "spirals", "xor", "blobs", "sine"]
    /// The sets read from `path`, which they require.
    public static let needsPath: Set = ["mnist", "csv", "idx", "cifar10", "imdb", "imdb-tfidf"]
    /// How features are rescaled, with statistics of the training split only.
    public static let scalings = ["none", "standardize", "min-max"]

    public var name: String
    /// Used instead of `name` when its files are missing (Fashion-MNIST not installed, say).
    public var fallback: String?
    /// The directory (IDX, CIFAR-10, IMDB's `aclImdb`) or file (CSV) to read; Fashion-MNIST defaults to the
    /// Debian package's directory.
    public var path: String?
    /// The share of the training samples held out for validation, in [0, 0.9].
    public var validation: Double
    /// Train on a stratified subset of this many samples (drawn before validation is held out).
    public var trainSubset: Int?
    /// Test on a stratified subset of this many samples.
    public var testSubset: Int?
    /// Synthetic sets: training samples generated (and a quarter as many test samples).
    public var samples: Int
    /// `none`, `standardize` or `min-max`.
    public var scaling: String
    /// The seed of generation, splits and subsets: the same for every run of an experiment, so
    /// that every run sees the same data.
    public var seed: UInt64

    init(_ reader: ParameterReader) throws {
        name = try reader.choice("name", from: Self.names) ?? { throw reader.error("name", "missing: the data set (one of \(Self.names.joined(separator: ", ")))") }()
        fallback = try reader.choice("fallback", from: Self.names.filter { !Self.needsPath.contains($0) })
        path = try reader.string("path")
        validation = try reader.number("validation", in: 0...0.9) ?? 0.1
        trainSubset = try reader.integer("trainSubset", atLeast: 2)
        testSubset = try reader.integer("testSubset", atLeast: 1)
        samples = try reader.integer("samples", atLeast: 10) ?? 800
        scaling = try reader.choice("scaling", from: Self.scalings) ?? "none"
        seed = UInt64(try reader.integer("seed", atLeast: 0) ?? 0)
        if Self.needsPath.contains(name) && path == nil {
            throw reader.error("path", "missing: \(name) is read from a \(name == "csv" ? "file" : "directory"); give its path")
        }
        try reader.finishFields()
    }

    /// The name `Dataset.named` reads (`csv:PATH`, `fashion-mnist:DIR`, `digits`).
    var loaderName: String {
        guard let path, !Self.synthetic.contains(name), name != "digits" else { return name }
        return name + ":" + path
    }
}
