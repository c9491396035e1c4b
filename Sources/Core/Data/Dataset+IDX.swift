import Foundation

extension Dataset {
    /// Where the Debian package `dataset-fashion-mnist` installs Fashion-MNIST.
    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    /// Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): 28×28 grey images of clothing in 10
    /// classes, 60,000 training and 10,000 test images, pixels scaled to [0, 1].
    ///
    /// Reads the four IDX files (gzip or raw) from `directory`, by default where
    /// `apt-get install dataset-fashion-mnist` puts them.
    public static func fashionMNIST(directory: String = fashionMNISTDirectory) throws -> Dataset {
        try idx(
            directory: directory, name: "fashion-mnist", classCount: 10,
            classNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            installHint: "`apt-get install dataset-fashion-mnist` provides it in \(fashionMNISTDirectory)")
    }

    /// MNIST (LeCun, Cortes & Burges): 28×28 grey images of handwritten digits in 10 classes,
    /// from the four IDX files (gzip or raw) in `directory`.
    public static func mnist(directory: String) throws -> Dataset {
        try idx(directory: directory, name: "mnist", classCount: 10, classNames: (0...9).map(String.init))
    }

    /// A data set from a directory of IDX files named as MNIST's: `train-images-idx3-ubyte`,
    /// `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each
    /// optionally gzipped (`.gz`) or spelled with a dot before `idx` (`train-images.idx3-ubyte`).
    /// - Parameters:
    ///   - classCount: labels must lie in 0 ..< classCount; 10 unless stated otherwise.
    ///   - installHint: said in the error when a file is missing.
    public static func idx(
        directory: String, name: String, classCount: Int = 10, classNames: [String]? = nil, installHint: String? = nil
    ) throws -> Dataset {
        try validateCount("classCount", classCount, atLeast: 1)
        func locate(_ stem: String) throws -> String {
            let dotted = stem.replacingOccurrences(of: "-idx", with: ".idx")
            let candidates = [stem + ".gz", stem, dotted + ".gz", dotted].map { (directory as NSString).appendingPathComponent($0) }
            if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
            let hint = installHint.map { "; \($0)" } ?? ""
            throw WeightLabError(
                .io, "\(name): \(candidates[0]) is missing (nor found as \(stem), \(dotted) or \(dotted).gz)\(hint)")
        }
        func split(_ prefix: String) throws -> (samples: Samples, shape: [Int]) {
            let imagesPath = try locate("\(prefix)-images-idx3-ubyte")
            let labelsPath = try locate("\(prefix)-labels-idx1-ubyte")
            let images = try IDX.readImages(at: imagesPath)
            let labels = try IDX.readLabels(at: labelsPath, classCount: classCount)
            let featureCount = images.imageShape.reduce(1, *)
            let imageCount = images.pixels.count / featureCount
            guard imageCount == labels.count else {
                throw WeightLabError(.data, "\(imagesPath) holds \(imageCount) images but \(labelsPath) holds \(labels.count) labels")
            }
            return (Samples(features: images.pixels, featureCount: featureCount, labels: labels), images.imageShape)
        }
        let train = try split("train")
        let test = try split("t10k")
        guard train.shape == test.shape else {
            throw WeightLabError(.shape, "\(name): training images are \(train.shape) but test images are \(test.shape) in \(directory)")
        }
        return try Dataset(
            name: name, train: train.samples, test: test.samples, classCount: classCount,
            featureShape: train.shape, classNames: classNames)
    }
}
