import Foundation
import Testing
import WeightLab
import WeightLabTestSupport

/// A checkpoint whose optimizer state was edited is refused or resumed, never a trap: for every
/// registered optimizer, each list in the saved state shortened and lengthened by one value in
/// turn, and each whole number held in a field (a count, an index, a stage) raised by 7 and set
/// to −1 in turn. Before
/// `mismatch` a GA state with a population of another width trapped in the next generation
/// (found by the `c-state` fuzz target).
@Suite(.serialized) struct RestoredStateContractTests {
    /// The paths of every non-empty list below `value`, as keys and indices.
    static func listPaths(in value: Any, at path: [Any] = []) -> [[Any]] {
        switch value {
        case let object as [String: Any]:
            return object.keys.sorted().flatMap { listPaths(in: object[$0]!, at: path + [$0]) }
        case let list as [Any]:
            let inner = list.enumerated().flatMap { listPaths(in: $0.element, at: path + [$0.offset]) }
            return (list.isEmpty ? [] : [path]) + inner
        default:
            return []
        }
    }

    /// The paths of every field below `value` that holds a whole number (a Boolean too, which
    /// the edit then makes a number).
    static func wholeNumberPaths(in value: Any, at path: [Any] = []) -> [[Any]] {
        switch value {
        case let object as [String: Any]:
            return object.keys.sorted().flatMap { key -> [[Any]] in
                if let number = object[key] as? NSNumber, number.doubleValue.rounded() == number.doubleValue {
                    return [path + [key]]
                }
                return wholeNumberPaths(in: object[key]!, at: path + [key])
            }
        case let list as [Any]:
            return list.enumerated().flatMap { wholeNumberPaths(in: $0.element, at: path + [$0.offset]) }
        default:
            return []
        }
    }

    /// `value` with the field at `path` raised by 7.
    static func raising(_ value: Any, at path: ArraySlice<Any>) -> Any {
        edit(value, at: path) { NSNumber(value: ($0 as! NSNumber).doubleValue + 7) }
    }

    /// `value` with the field at `path` set to −1.
    static func negating(_ value: Any, at path: ArraySlice<Any>) -> Any {
        edit(value, at: path) { _ in NSNumber(value: -1) }
    }

    /// `value` with the list at `path` one value longer (its last value again).
    static func lengthening(_ value: Any, at path: ArraySlice<Any>) -> Any {
        edit(value, at: path) { list in (list as! [Any]) + [(list as! [Any]).last!] }
    }

    /// `value` with the list at `path` one value shorter.
    static func shortening(_ value: Any, at path: ArraySlice<Any>) -> Any {
        edit(value, at: path) { Array(($0 as! [Any]).dropLast()) }
    }

    /// `value` with `change` applied to what stands at `path`.
    static func edit(_ value: Any, at path: ArraySlice<Any>, _ change: (Any) -> Any) -> Any {
        guard let step = path.first else { return change(value) }
        if var object = value as? [String: Any], let key = step as? String {
            object[key] = edit(object[key]!, at: path.dropFirst(), change)
            return object
        }
        var list = value as! [Any]
        let index = step as! Int
        list[index] = edit(list[index], at: path.dropFirst(), change)
        return list
    }

    @Test(arguments: OptimizerContractTests.names)
    func everyEditedListOrNumberIsRefusedOrResumed(_ name: String) throws {
        let file = temporaryFile("restored-\(name).json")
        let edited = temporaryFile("restored-\(name)-edited.json")
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: edited)
        }
        _ = try OptimizerContractTests.run(name, steps: 3, checkpoint: CheckpointPolicy(url: file, everySteps: 100))
        let checkpoint = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let state = try #require(checkpoint["state"])
        let paths = Self.listPaths(in: state, at: ["state"])
        let numbers = Self.wholeNumberPaths(in: state, at: ["state"])
        let edits = paths.map { Self.shortening(checkpoint, at: $0[...]) } + paths.map { Self.lengthening(checkpoint, at: $0[...]) }
            + numbers.map { Self.raising(checkpoint, at: $0[...]) } + numbers.map { Self.negating(checkpoint, at: $0[...]) }
        var refused = 0
        for edit in edits {
            let data = try JSONSerialization.data(withJSONObject: edit)
            try data.write(to: edited)
            do {
                _ = try OptimizerContractTests.run(name, steps: 5, resume: edited)
            } catch {
                refused += 1
            }
        }
        #expect(paths.isEmpty || refused > 0, "\(name): none of \(paths.count) shortened lists was refused")
    }
}
