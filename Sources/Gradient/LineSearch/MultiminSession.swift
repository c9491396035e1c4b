@preconcurrency import CGSL
import WeightLabCore

/// One live GSL `fdfminimizer` with the function record and point it keeps pointers to;
/// frees them all when released. Not Codable: a `LineSearchMinimizer.State` refers to it but
/// does not encode it, and rebuilds it from its point after decoding. Sendable because a
/// state only ever uses a session it holds the one reference to.
final class MultiminSession: @unchecked Sendable {
    let method: LineSearchMethod
    let problem: Problem
    let evaluator: MultiminEvaluator
    let tolerance: Double
    private let minimizer: UnsafeMutablePointer<gsl_multimin_fdfminimizer>
    private let function: UnsafeMutablePointer<gsl_multimin_function_fdf>
    private let start: UnsafeMutablePointer<gsl_vector>

    /// A minimizer of `method` set at `point` with first trial step `stepSize`.
    init(method: LineSearchMethod, problem: Problem, point: [Double], stepSize: Double, tolerance: Double, stream: RandomStream) throws {
        GSLErrors.turnOffAbortingHandler()
        let n = problem.dimension
        let failure = WeightLabError(.numerical, "\(method.rawValue): GSL could not allocate a minimizer for \(n) weights")
        guard let minimizer = gsl_multimin_fdfminimizer_alloc(method.gslType, n) else { throw failure }
        guard let start = gsl_vector_alloc(n) else {
            gsl_multimin_fdfminimizer_free(minimizer)
            throw failure
        }
        self.method = method
        self.problem = problem
        self.evaluator = MultiminEvaluator(problem: problem, stream: stream)
        self.tolerance = tolerance
        self.minimizer = minimizer
        self.start = start
        function = .allocate(capacity: 1)
        function.initialize(to: gsl_multimin_function_fdf(
            f: multiminValue, df: multiminGradient, fdf: multiminValueAndGradient, n: n,
            params: Unmanaged.passUnretained(evaluator).toOpaque()))
        try set(at: point, stepSize: stepSize)
    }

    deinit {
        gsl_multimin_fdfminimizer_free(minimizer)
        gsl_vector_free(start)
        function.deinitialize(count: 1)
        function.deallocate()
    }

    /// Starts afresh at `point`: evaluates f and ∇f there and resets the search direction to
    /// steepest descent, with first trial step `stepSize`.
    func set(at point: [Double], stepSize: Double) throws {
        let data = start.pointee.data!
        let stride = start.pointee.stride
        for i in 0..<point.count { data[i * stride] = point[i] }
        let status = gsl_multimin_fdfminimizer_set(minimizer, function, start, stepSize, tolerance)
        try evaluator.rethrowFailure()
        guard status == GSL_SUCCESS else {
            throw WeightLabError(.numerical, "\(method.rawValue): GSL could not start: \(Self.describe(status))")
        }
    }

    /// Starts afresh at the current point (a restart of the search direction).
    func restart(stepSize: Double) throws {
        var point = [Double](repeating: 0, count: problem.dimension)
        copyPoint(into: &point)
        try set(at: point, stepSize: stepSize)
    }

    /// One GSL iteration; its status.
    func iterate() throws -> Int32 {
        let status = gsl_multimin_fdfminimizer_iterate(minimizer)
        try evaluator.rethrowFailure()
        return status
    }

    /// f at the current point.
    var value: Double { gsl_multimin_fdfminimizer_minimum(minimizer) }

    /// |∇f| at the current point.
    var gradientNorm: Double { Self.norm(gsl_multimin_fdfminimizer_gradient(minimizer)) }

    /// The length of the last step.
    var stepLength: Double { Self.norm(gsl_multimin_fdfminimizer_dx(minimizer)) }

    /// Copies the current point (double precision) into `point`.
    func copyPoint(into point: inout [Double]) {
        let x = gsl_multimin_fdfminimizer_x(minimizer)!
        let data = x.pointee.data!
        let stride = x.pointee.stride
        if point.count != x.pointee.size { point = [Double](repeating: 0, count: x.pointee.size) }
        for i in 0..<point.count { point[i] = data[i * stride] }
    }

    /// The Euclidean norm of a GSL vector.
    private static func norm(_ v: UnsafeMutablePointer<gsl_vector>?) -> Double {
        guard let v, let data = v.pointee.data else { return 0 }
        var sum = 0.0
        for i in 0..<v.pointee.size { sum += data[i * v.pointee.stride] * data[i * v.pointee.stride] }
        return sum.squareRoot()
    }

    /// GSL's message for `status`.
    static func describe(_ status: Int32) -> String {
        "\(String(cString: gsl_strerror(status))) (GSL status \(status))"
    }
}
