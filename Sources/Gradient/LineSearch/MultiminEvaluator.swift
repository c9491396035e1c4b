@preconcurrency import CGSL
import WeightLabCore

/// Prices GSL's double-precision points with a Swift `Objective`: converts the point to the
/// objective's Float32 weights, evaluates on a fixed batch with a fresh copy of one fixed
/// random stream (so every evaluation of the same point gives the same value, as a line
/// search requires), and converts the gradient back. Errors thrown by the objective cannot
/// cross GSL's C frames: the first one is kept and the callback returns NaN.
final class MultiminEvaluator {
    let objective: any Objective
    let batch: Samples
    let stream: RandomStream
    /// Whether a value alone must still run the training-mode pass (dropout, batch norm), so
    /// that value and gradient describe the same function.
    let valueNeedsGradient: Bool
    private var weights: [Float]
    private var gradient: [Float]
    private(set) var failure: (any Error)?

    init(problem: Problem, stream: RandomStream) {
        objective = problem.objective
        batch = problem.fullBatch
        self.stream = stream
        valueNeedsGradient = (problem.objective as? NetworkObjective)?.network.hasTrainingBehavior ?? false
        weights = [Float](repeating: 0, count: problem.dimension)
        gradient = [Float](repeating: 0, count: problem.dimension)
    }

    /// Throws the first error an evaluation caught, once.
    func rethrowFailure() throws {
        if let failure {
            self.failure = nil
            throw failure
        }
    }

    /// f(x).
    func value(at x: UnsafePointer<gsl_vector>) -> Double {
        if valueNeedsGradient { return evaluate(x, gradient: nil) }
        load(x)
        do {
            return Double(try objective.loss(at: weights, on: batch))
        } catch {
            failure = failure ?? error
            return .nan
        }
    }

    /// f(x), with ∇f(x) written into `g`.
    func evaluate(_ x: UnsafePointer<gsl_vector>, gradient g: UnsafeMutablePointer<gsl_vector>?) -> Double {
        load(x)
        var rng = stream
        let value: Float
        do {
            value = try objective.lossAndGradient(at: weights, on: batch, into: &gradient, rng: &rng)
        } catch {
            failure = failure ?? error
            return .nan
        }
        if let g {
            let out = g.pointee.data!
            let stride = g.pointee.stride
            gradient.withUnsafeBufferPointer { source in
                for i in 0..<source.count { out[i * stride] = Double(source[i]) }
            }
        }
        return Double(value)
    }

    private func load(_ x: UnsafePointer<gsl_vector>) {
        let data = x.pointee.data!
        let stride = x.pointee.stride
        weights.withUnsafeMutableBufferPointer { w in
            for i in 0..<w.count { w[i] = Float(data[i * stride]) }
        }
    }
}

// GSL's callbacks: C function pointers that capture nothing; the evaluator travels in `params`.

func multiminValue(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?) -> Double {
    guard let x, let params else { return .nan }
    return Unmanaged<MultiminEvaluator>.fromOpaque(params).takeUnretainedValue().value(at: x)
}

func multiminGradient(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?, _ g: UnsafeMutablePointer<gsl_vector>?) {
    guard let x, let params else { return }
    _ = Unmanaged<MultiminEvaluator>.fromOpaque(params).takeUnretainedValue().evaluate(x, gradient: g)
}

func multiminValueAndGradient(
    _ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
    _ f: UnsafeMutablePointer<Double>?, _ g: UnsafeMutablePointer<gsl_vector>?
) {
    guard let x, let params else { return }
    let value = Unmanaged<MultiminEvaluator>.fromOpaque(params).takeUnretainedValue().evaluate(x, gradient: g)
    f?.pointee = value
}
