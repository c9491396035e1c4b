import WeightLab

/// Prints `fields` on standard output as one line of JSON, keys sorted (`SpecValue.jsonText`):
/// what `train --json` and `optimize --json` write.
func printJSON(_ fields: [String: SpecValue]) throws {
    print(try SpecValue.object(fields).jsonText())
}
