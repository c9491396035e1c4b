/// The shape of one image's features: height × width × channels, stored channels-last (NHWC):
/// the value of channel c at row i, column j is feature (i·width + j)·channels + c.
public struct ImageShape: Sendable, Hashable, Codable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// Features per image: height·width·channels.
    public var count: Int { height * width * channels }

    /// Pixel positions per channel: height·width.
    public var positions: Int { height * width }

    /// `28×28×1`.
    public var description: String { "\(height)×\(width)×\(channels)" }
}
