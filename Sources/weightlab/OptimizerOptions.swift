import Foundation
import ArgumentParser
import WeightLab

/// The options that choose an optimizer, shared by `train` and `optimize`.
struct OptimizerOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "A registered optimizer name, or an inline specification.",
        discussion: #"For example adam, or '{"optimizer": "adam", "beta1": 0.9}'. `weightlab optimizers` lists the names."#,
        valueName: "name|json"))
    var optimizer: String = "adam"

    @Option(help: "The optimizer's learning rate (its default when omitted).")
    var learningRate: Double?

    @Option(help: "The optimizer's momentum, for methods that have one.")
    var momentum: Double?

    @Option(help: "Individuals per generation, for population methods.")
    var populationSize: Int?

    @Option(name: .customLong("param"), parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "Any other optimizer parameter, as NAME=VALUE (repeatable). VALUE is a number, true/false, a string or inline JSON.",
        valueName: "name=value"))
    var parameters: [String] = []

    /// The specification these options describe; explicit options override the inline spec's fields.
    func specification() throws -> OptimizerSpec {
        var spec = try OptimizerSpec(parsing: optimizer, path: "--optimizer")
        if let learningRate { spec.parameters["learningRate"] = .number(learningRate) }
        if let momentum { spec.parameters["momentum"] = .number(momentum) }
        if let populationSize { spec.parameters["populationSize"] = .number(Double(populationSize)) }
        for item in parameters {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("--param '\(item)': expected NAME=VALUE")
            }
            let name = String(item[..<equals])
            spec.parameters[name] = SpecValue(parsing: String(item[item.index(after: equals)...]))
        }
        return spec
    }
}

/// Parses a comma-separated list of numbers, naming the option in the error.
func parseNumbers(_ text: String, option: String) throws -> [Float] {
    try text.split(separator: ",").map { field in
        guard let value = Float(field.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw ValidationError("\(option): '\(field)' is not a finite number")
        }
        return value
    }
}
