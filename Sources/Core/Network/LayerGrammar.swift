/// The one written form of a network's hidden layers, shared by `weightlab train --layers` and
/// experiment specs:
///
///     conv(32, 3, padding: 1), relu, maxpool(2), conv(64, 3, padding: 1), relu, maxpool(2), dense(128), relu
///
/// Items, separated by commas:
/// - `conv(filters, kernel, stride: s, padding: same|valid|N)`, kernel `3` or `3x5`; stride 1 and
///   `valid` padding by default
/// - `maxpool(window, stride: s)`, `avgpool(window, stride: s)` (stride defaults to the window),
///   `globalavgpool`
/// - `dense(units)`, `dropout(rate)`, `batchnorm` (or `batchnorm(momentum: m, epsilon: e)`)
/// - `flatten`, accepted and ignored: a dense layer reads an image as its flattened vector anyway
/// - every activation name, with its parameter in parentheses or after a colon: `leaky-relu(0.1)`
///
/// The output layer is not written: `network(inputWidth:imageShape:outputs:)` adds it.
public struct LayerGrammar: Sendable, Equatable {
    /// The layers as written (without the output layer).
    public let layers: [Layer]
    /// Where the text came from, for errors: `--layers`, or a spec field's path.
    public let context: String

    /// The layer names an item may start with.
    public static let knownNames = ["conv", "maxpool", "avgpool", "globalavgpool", "dense", "dropout", "batchnorm", "flatten"] + Activation.names

    /// Parses `text`, a comma-separated list of items.
    public init(parsing text: String, context: String = "--layers") throws {
        try self.init(items: try Self.split(text, context: context), context: context)
    }

    /// `text` cut at the commas outside parentheses, for callers that take either a string or a
    /// list of items (unbalanced parentheses are reported when the items are parsed).
    public static func splitItems(_ text: String) -> [String] {
        (try? split(text, context: "")) ?? [text]
    }

    /// Parses one item per string, as a YAML list gives them.
    public init(items: [String], context: String) throws {
        self.context = context
        var layers: [Layer] = []
        for (index, item) in items.enumerated() {
            if let layer = try Self.layer(item.trimmingWhitespace, position: index + 1, context: context) { layers.append(layer) }
        }
        self.layers = layers
    }

    /// The network these layers make on `inputWidth` features (images of `imageShape` when
    /// given), with a dense output layer of `outputs` units; shape errors name the item as
    /// written here: `--layers item 5, maxpool(2): input 1×1×64 is smaller than the window`.
    public func network(inputWidth: Int, imageShape: ImageShape?, outputs: Int) throws -> Network {
        do {
            return try Network(inputWidth: inputWidth, layers: layers + [.dense(units: outputs)], imageShape: imageShape)
        } catch let error as WeightLabError where error.message.hasPrefix("item ") {
            throw WeightLabError(error.kind, "\(context) \(error.message)")
        }
    }

    // MARK: - Items

    /// One item's layer, nil for `flatten`.
    private static func layer(_ item: String, position: Int, context: String) throws -> Layer? {
        let call = try Call(item, fail: { WeightLabError(.specification, "\(context) item \(position), '\(item)': \($0)") })
        switch call.name {
        case "conv", "conv2d":
            try call.expect(positional: 2, named: ["stride", "padding"], usage: "conv(filters, kernel, stride: s, padding: same|valid|N)")
            let (height, width) = try call.kernel(call.positional[1])
            return .convolution(Convolution(
                filters: try call.integer(call.positional[0], "filters"), kernelHeight: height, kernelWidth: width,
                stride: try call.named["stride"].map { try call.integer($0, "stride") } ?? 1,
                padding: try call.named["padding"].map(call.padding) ?? .valid))
        case "maxpool", "avgpool":
            try call.expect(positional: 1, named: ["stride"], usage: "\(call.name)(window, stride: s)")
            return .pooling(Pooling(
                call.name == "maxpool" ? .max : .average, window: try call.integer(call.positional[0], "window"),
                stride: try call.named["stride"].map { try call.integer($0, "stride") }))
        case "globalavgpool":
            try call.expect(positional: 0, named: [], usage: "globalavgpool")
            return .globalAveragePooling
        case "flatten":
            try call.expect(positional: 0, named: [], usage: "flatten")
            return nil
        case "dense":
            try call.expect(positional: 1, named: [], usage: "dense(units)")
            return .dense(units: try call.integer(call.positional[0], "units"))
        case "dropout":
            try call.expect(positional: 1, named: [], usage: "dropout(rate)")
            return .dropout(rate: try call.number(call.positional[0], "rate"))
        case "batchnorm", "batch-norm":
            try call.expect(positional: 0, named: ["momentum", "epsilon"], usage: "batchnorm(momentum: m, epsilon: e)")
            return .batchNorm(
                momentum: try call.named["momentum"].map { try call.number($0, "momentum") } ?? 0.1,
                epsilon: try call.named["epsilon"].map { try call.number($0, "epsilon") } ?? 1e-5)
        default:
            guard Activation.names.contains(call.name.split(separator: ":").first.map(String.init) ?? "") else {
                throw call.fail("unknown layer '\(call.name)'; known: \(knownNames.joined(separator: ", "))")
            }
            guard call.positional.count <= 1 else { throw call.fail("an activation takes at most one parameter: \(call.name)(parameter)") }
            try call.expect(positional: call.positional.count, named: [], usage: "\(call.name)(parameter)")
            let text = call.positional.first.map { "\(call.name):\($0)" } ?? call.name
            do { return .activation(try Activation(parsing: text)) } catch let error as WeightLabError { throw call.fail(error.message) }
        }
    }

    /// Splits `text` at the commas outside parentheses.
    private static func split(_ text: String, context: String) throws -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1
            case ")":
                depth -= 1
                guard depth >= 0 else { throw WeightLabError(.specification, "\(context) item \(items.count + 1), '\(current.trimmingWhitespace))': a ')' without its '('") }
            case "," where depth == 0:
                items.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        guard depth == 0 else { throw WeightLabError(.specification, "\(context) item \(items.count + 1), '\(current.trimmingWhitespace)': a '(' is not closed") }
        items.append(current)
        if let empty = items.firstIndex(where: { $0.trimmingWhitespace.isEmpty }), !(items.count == 1) {
            throw WeightLabError(.specification, "\(context) item \(empty + 1) is empty (two commas in a row, or one at an end)")
        }
        return items.count == 1 && items[0].trimmingWhitespace.isEmpty ? [] : items
    }
}

/// One item as a call: `name(positional, ..., key: value, ...)`.
private struct Call {
    let name: String
    var positional: [String] = []
    var named: [String: String] = [:]
    let fail: (String) -> WeightLabError

    init(_ item: String, fail: @escaping (String) -> WeightLabError) throws {
        self.fail = fail
        guard let open = item.firstIndex(of: "(") else {
            name = item.lowercased()
            return
        }
        name = item[..<open].trimmingWhitespace.lowercased()
        guard item.hasSuffix(")") else { throw fail("expected ')' at the end") }
        let inside = item[item.index(after: open)..<item.index(before: item.endIndex)]
        guard !inside.trimmingWhitespace.isEmpty else { throw fail("empty parentheses; leave them out") }
        for argument in inside.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmingWhitespace) {
            guard !argument.isEmpty else { throw fail("an empty argument") }
            if let colon = argument.firstIndex(of: ":"), !name.isEmpty, !Activation.names.contains(name) {
                let key = argument[..<colon].trimmingWhitespace.lowercased()
                guard named[key] == nil else { throw fail("'\(key)' is given twice") }
                named[key] = argument[argument.index(after: colon)...].trimmingWhitespace
            } else {
                guard named.isEmpty else { throw fail("the positional argument '\(argument)' follows a named one") }
                positional.append(argument)
            }
        }
    }

    func expect(positional count: Int, named allowed: Set<String>, usage: String) throws {
        guard positional.count == count else {
            throw fail("expected \(usage), with \(count) positional argument\(count == 1 ? "" : "s"), got \(positional.count)")
        }
        if let unknown = named.keys.sorted().first(where: { !allowed.contains($0) }) {
            let known = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
            throw fail("unknown argument '\(unknown)'; known: \(known) (\(usage))")
        }
    }

    /// Sizes beyond this are refused when read, so shape arithmetic never overflows.
    static let largest = 1_000_000

    func integer(_ text: String, _ what: String) throws -> Int {
        guard let value = Int(text), value >= 1, value <= Self.largest else { throw fail("\(what) '\(text)' is not a whole number in 1...\(Self.largest)") }
        return value
    }

    func number(_ text: String, _ what: String) throws -> Float {
        guard let value = Float(text), value.isFinite else { throw fail("\(what) '\(text)' is not a number") }
        return value
    }

    /// `3` (3×3) or `3x5` (height × width).
    func kernel(_ text: String) throws -> (Int, Int) {
        let sides = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map(String.init)
        guard sides.count <= 2 else { throw fail("kernel '\(text)' is not N or HxW") }
        let height = try integer(sides[0], "kernel")
        return (height, sides.count == 2 ? try integer(sides[1], "kernel width") : height)
    }

    func padding(_ text: String) throws -> Convolution.Padding {
        switch text.lowercased() {
        case "same": return .same
        case "valid": return .valid
        default:
            guard let n = Int(text), n >= 0, n <= Self.largest else { throw fail("padding '\(text)' is not same, valid or a whole number in 0...\(Self.largest)") }
            return .zeros(n)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
