import WeightLab

/// `runs.csv`: one line per trace point of every run, variants in the spec's order, seeds
/// ascending. The last line of each run carries its outcome in `status` (`completed` or
/// `diverged`) and why it stopped in `stop_reason`; the others say `running`.
public enum RunsTable {
    public static let columns = [
        "variant", "seed", "step", "epoch", "cost_units", "wall_seconds", "training_loss", "validation_loss",
        "validation_accuracy", "learning_rate", "part", "status", "stop_reason",
    ]

    /// The table of `records`.
    public static func table(_ records: [TrialRecord]) -> CSVTable {
        var table = CSVTable(header: columns)
        for record in records {
            for (index, point) in record.points.enumerated() {
                let last = index == record.points.count - 1
                let reals = point.resultReals
                table.rows.append([
                    record.variant, String(record.seed), String(point.step), CSVNumber.text(point.epoch),
                    String(point.costUnits), CSVNumber.text(point.wallSeconds), CSVNumber.text(reals.trainingLoss),
                    CSVNumber.text(reals.validationLoss), CSVNumber.text(reals.validationAccuracy),
                    CSVNumber.text(reals.learningRate), point.part ?? "",
                    last ? record.outcome.rawValue : "running", last ? record.stopReason : "",
                ])
            }
        }
        return table
    }

    /// The traces `table` holds, as (variant, seed, points, outcome, stop reason), in order:
    /// what a plot or an analysis outside WeightLab reads back.
    public static func traces(_ table: CSVTable, file: String = "runs.csv") throws -> [(variant: String, seed: UInt64, points: [TraceRow], outcome: TrialRecord.Outcome?, stopReason: String)] {
        let index = try Dictionary(uniqueKeysWithValues: columns.map { ($0, try table.column($0, file: file)) })
        var result: [(variant: String, seed: UInt64, points: [TraceRow], outcome: TrialRecord.Outcome?, stopReason: String)] = []
        for (number, row) in table.rows.enumerated() {
            let line = "\(file):\(number + 2)"
            func field(_ name: String) -> String { row[index[name] ?? 0] }
            let variant = field("variant")
            guard let seed = UInt64(field("seed")) else { throw WeightLabError(.data, "\(line): seed '\(field("seed"))' is not a whole number") }
            let point = TraceRow(
                step: try CSVNumber.int(field("step"), line), epoch: try CSVNumber.double(field("epoch"), line),
                costUnits: try CSVNumber.int(field("cost_units"), line),
                wallSeconds: try CSVNumber.double(field("wall_seconds"), line) ?? 0,
                trainingLoss: try CSVNumber.double(field("training_loss"), line),
                validationLoss: try CSVNumber.double(field("validation_loss"), line),
                validationAccuracy: try CSVNumber.double(field("validation_accuracy"), line),
                learningRate: try CSVNumber.double(field("learning_rate"), line),
                part: field("part").isEmpty ? nil : field("part"))
            if let last = result.last, last.variant == variant, last.seed == seed, last.outcome == nil {
                result[result.count - 1].points.append(point)
            } else {
                result.append((variant, seed, [point], nil, ""))
            }
            let status = field("status")
            if status != "running" {
                guard let outcome = TrialRecord.Outcome(rawValue: status) else {
                    throw WeightLabError(.data, "\(line): status '\(status)' is not running, completed or diverged")
                }
                result[result.count - 1].outcome = outcome
                result[result.count - 1].stopReason = field("stop_reason")
            }
        }
        return result
    }
}
