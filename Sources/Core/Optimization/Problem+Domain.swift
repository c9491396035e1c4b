extension Problem {
    /// `weights` projected into the box (unchanged without one): what a run starts from and
    /// hands over.
    public func confine(_ weights: [Float]) -> [Float] {
        box.map { $0.clipped(weights) } ?? weights
    }

    /// The default of a step size that follows the search domain: `share` of the box's mean
    /// width (high − low) when the problem declares a box, else `otherwise`. CMA-ES's σ₀ =
    /// 0.3·(high − low) is pycma's advice; the other methods' shares are stated in their docs.
    public func stepDefault(share: Float, otherwise: Float) -> Float {
        box.map { share * $0.meanWidth } ?? otherwise
    }

    /// The weight scales step-size defaults follow: `weightScales` on a network without a box
    /// (a box, when given, sets the scale instead); nil elsewhere.
    public var networkScales: [Float]? { box == nil ? weightScales : nil }

    /// Per weight, the default of a step size that follows the problem's scale: as
    /// `stepDefault` with a box; on a network, `layerShare` of each weight's initializer scale
    /// (`networkScales`), so the default works at any width; else `otherwise`.
    public func stepDefaults(share: Float, layerShare: Float, otherwise: Float) -> [Float] {
        if let networkScales { return networkScales.map { layerShare * $0 } }
        return [Float](repeating: stepDefault(share: share, otherwise: otherwise), count: dimension)
    }
}
