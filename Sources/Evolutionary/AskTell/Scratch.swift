/// Working memory a strategy keeps from `ask` to `tell` within one generation (the draws a
/// distribution method must remember, for instance). A checkpoint is taken between steps, so
/// scratch memory is not part of it: it encodes as an empty list and decodes empty.
public struct Scratch<Element: Sendable>: Codable, Sendable {
    /// The buffer; sized by whoever uses it.
    public var values: [Element] = []

    public init() {}

    public init(from decoder: any Decoder) throws {}

    public func encode(to encoder: any Encoder) throws {
        _ = encoder.unkeyedContainer()
    }

    /// Makes the buffer hold exactly `count` elements, reusing its storage when it already does.
    mutating func resize(_ count: Int, filling value: Element) {
        if values.count != count { values = [Element](repeating: value, count: count) }
    }
}
