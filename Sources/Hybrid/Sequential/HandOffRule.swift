import WeightLabCore

/// When a part of a sequential hand-off gives way to the next: after it has spent a number of
/// cost units, taken a number of steps, or stagnated — whichever comes first among the
/// conditions given.
///
/// A share of the run's budget is a number of units: `HandOffRule(share: 0.1, of: 1_800_000)`
/// hands off after 180,000 units. The rule is checked after every step of the part, so the
/// part spends its units to the step: it stops at the first step that reaches them.
public struct HandOffRule: Sendable, Equatable {
    /// Hand off once the part has charged this many ledger units.
    public var units: Int?
    /// Hand off once the part has taken this many steps.
    public var steps: Int?
    /// Hand off once this many consecutive steps have not lowered the lowest loss the part
    /// has reported (for population methods, the incumbent's fitness).
    public var stagnation: Int?

    /// A rule with at least one condition; each given count must be at least 1.
    public init(units: Int? = nil, steps: Int? = nil, stagnation: Int? = nil) throws {
        guard units != nil || steps != nil || stagnation != nil else {
            throw WeightLabError(.parameter, "a hand-off rule needs at least one of units, steps or stagnation")
        }
        if let units { try validateCount("units", units, atLeast: 1) }
        if let steps { try validateCount("steps", steps, atLeast: 1) }
        if let stagnation { try validateCount("stagnation", stagnation, atLeast: 1) }
        self.units = units
        self.steps = steps
        self.stagnation = stagnation
    }

    /// Hand off after `share` of `budget` units, rounded to the nearest unit.
    public init(share: Double, of budget: Int) throws {
        try self.init(units: Self.units(share: share, of: budget))
    }

    /// `share` ∈ (0, 1] of `budget` units, rounded to the nearest unit (at least 1).
    static func units(share: Double, of budget: Int) throws -> Int {
        guard share.isFinite, share > 0, share <= 1 else {
            throw WeightLabError.parameter("share", share, allowed: "a share in (0, 1]")
        }
        try validateCount("budget", budget, atLeast: 1)
        return max(1, Int((share * Double(budget)).rounded()))
    }

    /// Whether a part that has spent `units`, taken `steps` and gone `staleSteps` without
    /// improvement should hand off.
    func isDue(units spent: Int, steps taken: Int, staleSteps: Int) -> Bool {
        if let units, spent >= units { return true }
        if let steps, taken >= steps { return true }
        if let stagnation, staleSteps >= stagnation { return true }
        return false
    }
}

extension HandOffRule {
    /// Reads `{"share": S}`, `{"units": U}`, `{"steps": N}` or `{"stagnation": N}` (several
    /// keys: whichever comes first) at `path`; a share needs the sequential's `budget`.
    init(_ value: SpecValue, path: String, budget: Int?) throws {
        guard case .object(let fields) = value else {
            throw WeightLabError(.specification, "\(path): expected an object such as {\"share\": 0.1}, {\"units\": 100000}, {\"steps\": 50} or {\"stagnation\": 20}, got \(value)")
        }
        let p = ParameterReader(OptimizerSpec(name: "a hand-off rule", parameters: fields, path: path))
        var units = try p.value(Parameter<Int?>("units", absent: "none", .atLeast(1), "hand off once the part has charged this many units"))
        let steps = try p.value(Parameter<Int?>("steps", absent: "none", .atLeast(1), "hand off after this many steps"))
        let stagnation = try p.value(Parameter<Int?>("stagnation", absent: "none", .atLeast(1), "hand off after this many steps without a lower loss"))
        let shareKey = Parameter<Double?>("share", absent: "none", Allowed("a share in (0, 1]") { $0 > 0 && $0 <= 1 }, "hand off after this share of the budget")
        if let share = try p.value(shareKey) {
            guard let budget else {
                throw WeightLabError(.specification, "\(path).share: a share needs the sequential's \"budget\" (the run's cost budget in units)")
            }
            let fromShare = try Self.units(share: share, of: budget)
            units = min(units ?? fromShare, fromShare)
        }
        try p.finish()
        guard units != nil || steps != nil || stagnation != nil else {
            throw WeightLabError(.specification, "\(path): a hand-off rule needs share, units, steps or stagnation")
        }
        try self.init(units: units, steps: steps, stagnation: stagnation)
    }
}
