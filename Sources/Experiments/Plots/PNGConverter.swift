import Foundation

/// Renders SVG files to PNG with `rsvg-convert` (librsvg) or ImageMagick's `convert`, when
/// one is on the PATH; without either, the SVG files stand alone.
enum PNGConverter {
    /// A converter program and how it is called.
    struct Tool: Sendable {
        var path: String
        var zoomed: Bool

        func arguments(svg: String, png: String) -> [String] {
            zoomed ? ["--zoom=2", "--output", png, svg] : ["-density", "192", svg, "png:" + png]
        }
    }

    /// The converter found on the PATH, if any.
    static let tool: Tool? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for (name, zoomed) in [("rsvg-convert", true), ("convert", false)] {
            for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
                return Tool(path: directory + "/" + name, zoomed: zoomed)
            }
        }
        return nil
    }()

    /// Writes `png` from `svg` (through a temporary file renamed into place); returns false,
    /// leaving nothing behind, when no converter is installed or it failed.
    @discardableResult
    static func convert(_ svg: URL, to png: URL) -> Bool {
        guard let tool else { return false }
        let temporary = png.deletingLastPathComponent().appendingPathComponent(".\(png.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool.path)
        process.arguments = tool.arguments(svg: svg.path, png: temporary.path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0, rename(temporary.path, png.path) == 0 else {
                try? FileManager.default.removeItem(at: temporary)
                return false
            }
            return true
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            return false
        }
    }
}
