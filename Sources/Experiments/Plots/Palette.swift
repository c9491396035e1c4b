/// Colours for series: the Okabe–Ito palette (distinguishable with the common colour-vision
/// deficiencies), then more; past those, colours repeat with dashed lines.
enum Palette {
    static let colors = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#999999", "#F0E442",
        "#332288", "#882255", "#117733", "#AA4499",
    ]

    static func color(_ index: Int) -> String { colors[index % colors.count] }

    /// nil (solid) for the first round of colours, dashes after.
    static func dash(_ index: Int) -> String? {
        switch (index / colors.count) % 3 {
        case 0: nil
        case 1: "6 3"
        default: "2 2"
        }
    }
}
