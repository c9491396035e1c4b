/// Pixel bytes as Floats in [0, 1]: p ↦ p / 255, correctly rounded, by one table lookup per byte.
enum PixelScaling {
    private static let table: [Float] = (0...255).map { Float($0) / 255 }

    /// Writes `bytes.count` scaled pixels at `destination`.
    static func scale(_ bytes: UnsafeBufferPointer<UInt8>, into destination: UnsafeMutablePointer<Float>) {
        table.withUnsafeBufferPointer { scale in
            for i in 0..<bytes.count { destination[i] = scale[Int(bytes[i])] }
        }
    }
}
