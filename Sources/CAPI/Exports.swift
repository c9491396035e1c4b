import Foundation
import Synchronization
import WeightLab

// The C functions of weightlab.h. Handles are numbers in a table, never pointers to Swift
// objects, so a freed or made-up handle is found missing instead of being dereferenced.

private let sessions = Mutex<(next: UInt, open: [UInt: Session])>((1, [:]))
nonisolated(unsafe) private var lastError: UnsafeMutablePointer<CChar>? = strdup("")
private let errorLock = Mutex(())

private enum Code: Int32 {
    case ok = 0, argument = 1, handle = 2, spec = 3, sequence = 4, optimizer = 5, finished = 6
}

/// Records `message` as the last error and returns `code`.
private func fail(_ code: Code, _ message: String) -> Int32 {
    errorLock.withLock { _ in
        free(lastError)
        lastError = strdup(message)
    }
    return code.rawValue
}

/// Runs `body`, turning what it throws into a code and a message.
private func guarded(_ body: () throws -> Void) -> Int32 {
    do {
        try body()
        return Code.ok.rawValue
    } catch let error as SequenceError {
        return fail(.sequence, error.description)
    } catch let error as FinishedError {
        return fail(.finished, error.description)
    } catch let error as CallError {
        return fail(error.code, error.message)
    } catch let error as WeightLabError {
        return fail(error.kind == .specification || error.kind == .parameter || error.kind == .shape ? .spec : .optimizer, error.message)
    } catch {
        return fail(.optimizer, "\(error)")
    }
}

private struct CallError: Error {
    let code: Code
    let message: String
}

private func session(_ handle: OpaquePointer?) throws -> Session {
    guard let handle else { throw CallError(code: .handle, message: "the handle is null") }
    let key = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle)))
    guard let found = sessions.withLock({ $0.open[key] }) else {
        throw CallError(code: .handle, message: "the handle \(key) is not an open optimizer (freed, or never created)")
    }
    return found
}

private func register(_ session: Session, _ out: UnsafeMutablePointer<OpaquePointer?>) {
    let key = sessions.withLock { table -> UInt in
        let key = table.next
        table.next += 1
        table.open[key] = session
        return key
    }
    out.pointee = OpaquePointer(bitPattern: key)
}

private func floats(_ pointer: UnsafePointer<Double>?, _ count: Int) -> [Float]? {
    pointer.map { p in (0..<count).map { Float(p[$0]) } }
}

private func count(_ value: Int64, _ name: String) throws -> Int {
    guard value >= 0, value <= Int64(Int32.max) else { throw CallError(code: .argument, message: "\(name) = \(value) is out of range") }
    return Int(value)
}

@_cdecl("wl_create")
public func wl_create(
    _ spec: UnsafePointer<CChar>?, _ dimension: Int64, _ seed: UInt64, _ lower: UnsafePointer<Double>?, _ upper: UnsafePointer<Double>?,
    _ x0: UnsafePointer<Double>?, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> Int32 {
    guarded {
        guard let spec, let out else { throw CallError(code: .argument, message: "wl_create: spec and out must not be null") }
        guard (lower == nil) == (upper == nil) else { throw CallError(code: .argument, message: "wl_create: give both lower and upper bounds, or neither") }
        guard dimension >= 1 else { throw CallError(code: .spec, message: "wl_create: dimension = \(dimension), expected an integer ≥ 1") }
        let n = try count(dimension, "dimension")
        let setup = Session.Setup(spec: String(cString: spec), dimension: n, seed: seed, lower: floats(lower, n), upper: floats(upper, n), start: floats(x0, n))
        register(try Session(setup), out)
    }
}

@_cdecl("wl_restore")
public func wl_restore(_ bytes: UnsafePointer<UInt8>?, _ size: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    guarded {
        guard let bytes, let out, size > 0 else { throw CallError(code: .argument, message: "wl_restore: bytes and out must not be null") }
        do {
            register(try Session(restoring: Data(bytes: bytes, count: size)), out)
        } catch let error as DecodingError {
            throw CallError(code: .spec, message: "wl_restore: the bytes are not a WeightLab optimizer state: \(JSONCoding.describe(error))")
        }
    }
}

@_cdecl("wl_ask")
public func wl_ask(_ handle: OpaquePointer?, _ rows: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded {
        guard let rows else { throw CallError(code: .argument, message: "wl_ask: rows must not be null") }
        rows.pointee = Int64(try session(handle).ask())
    }
}

private func copyPopulation<T>(_ handle: OpaquePointer?, _ buffer: UnsafeMutablePointer<T>?, _ rows: Int64, _ dimension: Int64, _ convert: (Float) -> T) -> Int32 {
    guarded {
        let s = try session(handle)
        guard let buffer else { throw CallError(code: .argument, message: "wl_population: buffer must not be null") }
        let population = try s.population()
        guard rows == Int64(population.count), dimension == Int64(population.dimension) else {
            throw CallError(code: .argument, message: "wl_population: the buffer is \(rows)×\(dimension), the population \(population.count)×\(population.dimension)")
        }
        for i in 0..<population.count * population.dimension { buffer[i] = convert(population.values[i]) }
    }
}

@_cdecl("wl_population_float")
public func wl_population_float(_ handle: OpaquePointer?, _ buffer: UnsafeMutablePointer<Float>?, _ rows: Int64, _ dimension: Int64) -> Int32 {
    copyPopulation(handle, buffer, rows, dimension) { $0 }
}

@_cdecl("wl_population_double")
public func wl_population_double(_ handle: OpaquePointer?, _ buffer: UnsafeMutablePointer<Double>?, _ rows: Int64, _ dimension: Int64) -> Int32 {
    copyPopulation(handle, buffer, rows, dimension) { Double($0) }
}

@_cdecl("wl_tell")
public func wl_tell(_ handle: OpaquePointer?, _ fitness: UnsafePointer<Double>?, _ count: Int64) -> Int32 {
    guarded {
        let s = try session(handle)
        guard let fitness else { throw CallError(code: .argument, message: "wl_tell: fitness must not be null") }
        let n = try WeightLabC.count(count, "count")
        try s.tell((0..<n).map { Float(fitness[$0]) })
    }
}

@_cdecl("wl_needs_gradient")
public func wl_needs_gradient(_ handle: OpaquePointer?, _ flag: UnsafeMutablePointer<Int32>?) -> Int32 {
    guarded {
        guard let flag else { throw CallError(code: .argument, message: "wl_needs_gradient: flag must not be null") }
        flag.pointee = try session(handle).needsGradient() ? 1 : 0
    }
}

@_cdecl("wl_tell_gradient")
public func wl_tell_gradient(_ handle: OpaquePointer?, _ fitness: Double, _ gradient: UnsafePointer<Double>?, _ dimension: Int64) -> Int32 {
    guarded {
        let s = try session(handle)
        guard let gradient else { throw CallError(code: .argument, message: "wl_tell_gradient: gradient must not be null") }
        let n = try count(dimension, "dimension")
        try s.tell([Float(fitness)], gradient: (0..<n).map { Float(gradient[$0]) })
    }
}

@_cdecl("wl_best")
public func wl_best(_ handle: OpaquePointer?, _ x: UnsafeMutablePointer<Double>?, _ dimension: Int64, _ value: UnsafeMutablePointer<Double>?) -> Int32 {
    guarded {
        let s = try session(handle)
        guard dimension == Int64(s.setup.dimension) else {
            throw CallError(code: .argument, message: "wl_best: dimension \(dimension), the optimizer has \(s.setup.dimension)")
        }
        let (best, bestValue) = s.incumbent()
        if let x { for i in best.indices { x[i] = Double(best[i]) } }
        value?.pointee = Double(bestValue)
    }
}

@_cdecl("wl_dimension")
public func wl_dimension(_ handle: OpaquePointer?, _ dimension: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded {
        guard let dimension else { throw CallError(code: .argument, message: "wl_dimension: dimension must not be null") }
        dimension.pointee = Int64(try session(handle).setup.dimension)
    }
}

@_cdecl("wl_counts")
public func wl_counts(_ handle: OpaquePointer?, _ steps: UnsafeMutablePointer<Int64>?, _ evaluations: UnsafeMutablePointer<Int64>?) -> Int32 {
    guarded {
        let s = try session(handle)
        let (stepCount, evaluationCount) = s.counts()
        steps?.pointee = Int64(stepCount)
        evaluations?.pointee = Int64(evaluationCount)
    }
}

@_cdecl("wl_state_bytes")
public func wl_state_bytes(_ handle: OpaquePointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ capacity: Int, _ size: UnsafeMutablePointer<Int>?) -> Int32 {
    guarded {
        let s = try session(handle)
        guard let size else { throw CallError(code: .argument, message: "wl_state_bytes: size must not be null") }
        let bytes = try s.stateBytes()
        size.pointee = bytes.count
        guard let buffer else { return }
        guard capacity >= bytes.count else {
            throw CallError(code: .argument, message: "wl_state_bytes: the buffer holds \(capacity) bytes, the state needs \(bytes.count)")
        }
        bytes.copyBytes(to: buffer, count: bytes.count)
    }
}

@_cdecl("wl_free")
public func wl_free(_ handle: OpaquePointer?) -> Int32 {
    guarded {
        let s = try session(handle)
        let key = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(handle)))
        sessions.withLock { _ = $0.open.removeValue(forKey: key) }
        s.close()
    }
}

@_cdecl("wl_last_error")
public func wl_last_error() -> UnsafePointer<CChar>? {
    errorLock.withLock { _ in UnsafePointer(lastError) }
}
