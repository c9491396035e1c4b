// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "WeightLab",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "WeightLab", targets: ["WeightLab"]),
        .executable(name: "weightlab", targets: ["weightlab"]),
        .library(name: "WeightLabC", type: .dynamic, targets: ["WeightLabC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL", path: "Sources/gsl-shim",
            providers: [.apt(["libgsl-dev", "libopenblas-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/zlib-shim",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CMPI", path: "Sources/mpi-shim", pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .target(
            name: "WeightLabCore", dependencies: ["CGSL", "CZlib"], path: "Sources/Core",
            resources: [.copy("Data/Resources/digits.csv.gz")]),
        .target(name: "WeightLabGradient", dependencies: ["WeightLabCore", "CGSL"], path: "Sources/Gradient"),
        .target(name: "WeightLabEvolutionary", dependencies: ["WeightLabCore", "CGSL"], path: "Sources/Evolutionary"),
        .target(
            name: "WeightLabHybrid",
            dependencies: ["WeightLabCore", "WeightLabGradient", "WeightLabEvolutionary"],
            path: "Sources/Hybrid"),
        .target(
            name: "WeightLab",
            dependencies: ["WeightLabCore", "WeightLabGradient", "WeightLabEvolutionary", "WeightLabHybrid"],
            path: "Sources/WeightLab"),
        .target(
            name: "WeightLabExperiments",
            dependencies: ["WeightLab", "CGSL", .product(name: "Yams", package: "Yams")],
            path: "Sources/Experiments"),
        .target(name: "WeightLabC", dependencies: ["WeightLab"], path: "Sources/CAPI", exclude: ["weightlab.h"]),
        .target(name: "WeightLabMPI", dependencies: ["WeightLabCore", "CMPI"], path: "Sources/MPI"),
        .target(name: "WeightLabBenchmarks", dependencies: ["WeightLab"], path: "Sources/Benchmarks"),
        .executableTarget(
            name: "weightlab",
            dependencies: [
                "WeightLab", "WeightLabExperiments", "WeightLabBenchmarks", "WeightLabMPI", "CGSL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/weightlab"),
        .target(name: "WeightLabTestSupport", dependencies: ["WeightLabCore"], path: "Tests/TestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["WeightLabCore", "WeightLabTestSupport"], path: "Tests/CoreTests"),
        .testTarget(name: "GradientTests", dependencies: ["WeightLabGradient", "WeightLabTestSupport"], path: "Tests/GradientTests"),
        .testTarget(name: "EvolutionaryTests", dependencies: ["WeightLabEvolutionary", "WeightLabTestSupport"], path: "Tests/EvolutionaryTests"),
        .testTarget(name: "HybridTests", dependencies: ["WeightLabHybrid", "WeightLabTestSupport"], path: "Tests/HybridTests"),
        .testTarget(name: "ExperimentsTests", dependencies: ["WeightLabExperiments", "WeightLabTestSupport"], path: "Tests/ExperimentsTests"),
        .testTarget(name: "GoldenTests", dependencies: ["WeightLab", "WeightLabTestSupport"], path: "Tests/GoldenTests", exclude: ["Golden"]),
        .target(name: "WeightLabFuzzHarness", dependencies: ["WeightLab", "WeightLabExperiments", "WeightLabC"], path: "Tests/Fuzz/Harness"),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["WeightLabFuzzHarness"], path: "Tests/FuzzRegressionTests"),
        .testTarget(name: "MPITests", dependencies: ["WeightLabMPI", "WeightLabTestSupport"], path: "Tests/MPITests"),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer targets, one per reader of outside bytes (`make fuzz`). They have no `main`
// (libFuzzer brings it), so they build only with WEIGHTLAB_FUZZ set and `--sanitize=fuzzer`.
if Context.environment["WEIGHTLAB_FUZZ"] != nil {
    for reader in ["idx", "idx-gzip", "csv", "cifar", "checkpoint", "weights", "npy", "spec-yaml", "spec-json", "layers", "augment", "imdb", "c-spec", "c-state"] {
        package.targets.append(.executableTarget(name: "fuzz-\(reader)", dependencies: ["WeightLabFuzzHarness"], path: "Tests/Fuzz/Targets/\(reader)"))
        package.products.append(.executable(name: "fuzz-\(reader)", targets: ["fuzz-\(reader)"]))
    }
}
