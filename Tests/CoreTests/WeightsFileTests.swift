import Foundation
import Testing
@testable import WeightLabCore

@Suite struct WeightsFileTests {
    let network = try! Network.perceptron(inputs: 3, hidden: [4], outputs: 2)

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("weightlab-\(UUID().uuidString)-\(name)").path
    }

    @Test func roundTripsExactlyWithItsNetwork() throws {
        var rng = RandomStream(seed: 3)
        var weights = network.initialWeights(.heNormal, rng: &rng)
        weights[0] = .nan
        weights[1] = -.infinity
        let path = temporaryPath("w.wlw")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try WeightsFile.write(weights, of: network, to: path)
        let (header, read) = try WeightsFile.read(path)
        #expect(header == WeightsFile.Header(count: network.parameterCount, inputWidth: 3, layers: ["dense(4)", "relu", "dense(2)"]))
        #expect(read.map(\.bitPattern) == weights.map(\.bitPattern))
    }

    @Test func numpyHeaderFollowsTheFormat() throws {
        let data = [UInt8](WeightsFile.numpy([1, -2, 0.5]))
        #expect(Array(data[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }") && header.hasSuffix("\n"))
        let body = Array(data[(10 + headerLength)...])
        #expect(body == [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0, 0x3F])
    }

    @Test func badFilesNameThemselves() throws {
        let path = temporaryPath("bad.wlw")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("not weights at all".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try WeightsFile.read(path)
            Issue.record("expected an error")
        } catch let error as WeightLabError {
            #expect(error.message.contains(path) && error.message.contains("magic"))
        }
        #expect(throws: WeightLabError.self) { try WeightsFile.write([1, 2], of: network, to: path) }
    }
}
