/// A standalone SVG image built element by element; coordinates in pixels, origin top left.
struct SVGDocument {
    let width: Double
    let height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
        elements.append(#"<rect x="0" y="0" width="\#(n(width))" height="\#(n(height))" fill="white"/>"#)
    }

    /// The finished file.
    var text: String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        \(elements.joined(separator: "\n"))
        </svg>

        """
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        elements.append(#"<line x1="\#(n(x1))" y1="\#(n(y1))" x2="\#(n(x2))" y2="\#(n(y2))" stroke="\#(stroke)" stroke-width="\#(n(width))"\#(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>"#)
    }

    /// A polyline through `points` as a path (one `<path>` element), labelled for readers.
    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil, label: String) {
        guard let first = points.first else { return }
        let d = "M\(n(first.0)),\(n(first.1))" + points.dropFirst().map { "L\(n($0.0)),\(n($0.1))" }.joined()
        elements.append(#"<path class="line" d="\#(d)" fill="none" stroke="\#(stroke)" stroke-width="\#(n(width))" stroke-linejoin="round"\#(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")><title>\#(escaped(label))</title></path>"#)
    }

    /// A closed, filled region (a confidence band) as one `<path>` element.
    mutating func region(_ points: [(Double, Double)], fill: String, opacity: Double, label: String) {
        guard let first = points.first else { return }
        let d = "M\(n(first.0)),\(n(first.1))" + points.dropFirst().map { "L\(n($0.0)),\(n($0.1))" }.joined() + "Z"
        elements.append(#"<path class="band" d="\#(d)" fill="\#(fill)" fill-opacity="\#(n(opacity))" stroke="none"><title>\#(escaped(label))</title></path>"#)
    }

    mutating func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String, stroke: String? = nil) {
        elements.append(#"<rect x="\#(n(x))" y="\#(n(y))" width="\#(n(width))" height="\#(n(height))" fill="\#(fill)"\#(stroke.map { " stroke=\"\($0)\"" } ?? "")/>"#)
    }

    mutating func circle(_ x: Double, _ y: Double, radius: Double, fill: String, stroke: String? = nil, label: String? = nil) {
        let title = label.map { "<title>\(escaped($0))</title>" } ?? ""
        elements.append(#"<circle cx="\#(n(x))" cy="\#(n(y))" r="\#(n(radius))" fill="\#(fill)"\#(stroke.map { " stroke=\"\($0)\"" } ?? "")>\#(title)</circle>"#)
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12, weight: String? = nil, rotate: Double? = nil, fill: String = "#222222", cssClass: String? = nil) {
        let transform = rotate.map { #" transform="rotate(\#(n($0)) \#(n(x)) \#(n(y)))""# } ?? ""
        let bold = weight.map { " font-weight=\"\($0)\"" } ?? ""
        let kind = cssClass.map { " class=\"\($0)\"" } ?? ""
        elements.append(#"<text\#(kind) x="\#(n(x))" y="\#(n(y))" text-anchor="\#(anchor.rawValue)" font-size="\#(n(size))" fill="\#(fill)"\#(bold)\#(transform)>\#(escaped(content))</text>"#)
    }

    /// Coordinates to two decimals: smaller files, no visible difference.
    private func n(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    private func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
