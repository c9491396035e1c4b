import Foundation
import Testing
import WeightLabCore

/// The address of an array slice's first element.
private func address(_ slice: ArraySlice<Int>) -> Int {
    slice.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
}

@Suite("Mini-batches")
struct DataBatchingTests {
    @Test("every epoch visits each sample once, in a new order each epoch")
    func shuffledEachEpoch() throws {
        var batches = try MiniBatches(sampleCount: 12, batchSize: 4, rng: RandomStream(seed: 1))
        var epochs: [[Int]] = []
        for _ in 0..<5 {
            var order: [Int] = []
            for _ in 0..<batches.batchesPerEpoch { order += batches.next() }
            #expect(order.sorted() == Array(0..<12))
            epochs.append(order)
        }
        #expect(Set(epochs).count == 5, "each epoch has its own shuffle")
        #expect(!epochs.contains(Array(0..<12)))
    }

    @Test("keeping the last partial batch: sizes 4, 4, 2 per epoch of 10")
    func keepsLast() throws {
        var batches = try MiniBatches(sampleCount: 10, batchSize: 4, dropLast: false, rng: RandomStream(seed: 2))
        #expect(batches.batchesPerEpoch == 3)
        let sizes = (0..<9).map { _ in batches.next().count }
        #expect(sizes == [4, 4, 2, 4, 4, 2, 4, 4, 2])
        #expect(batches.epoch == 2 && batches.samplesDrawn == 30 && batches.epochsDrawn == 3)
    }

    @Test("dropping the last partial batch: full batches only, and the left-out samples change between epochs")
    func dropsLast() throws {
        var batches = try MiniBatches(sampleCount: 10, batchSize: 4, dropLast: true, rng: RandomStream(seed: 3))
        #expect(batches.batchesPerEpoch == 2)
        var seen = Set<Int>()
        for epoch in 0..<8 {
            let first = batches.next()
            let second = batches.next()
            #expect(first.count == 4 && second.count == 4 && batches.epoch == epoch)
            #expect(Set(first).isDisjoint(with: second))
            seen.formUnion(first)
            seen.formUnion(second)
        }
        #expect(seen == Set(0..<10), "over several epochs every sample is visited")
        #expect(throws: WeightLabError.self) { try MiniBatches(sampleCount: 3, batchSize: 4, dropLast: true, rng: RandomStream(seed: 0)) }
    }

    @Test("the index storage is reused: no allocation per batch or per epoch")
    func indexStorageReused() throws {
        var batches = try MiniBatches(sampleCount: 64, batchSize: 16, rng: RandomStream(seed: 4))
        let start = address(batches.next())
        for step in 1..<40 {
            let expected = start + (step % 4) * 16 * MemoryLayout<Int>.stride
            #expect(address(batches.next()) == expected)
        }
    }

    @Test("filling a batch buffer with Samples.replace reuses its storage and copies the right rows")
    func batchBufferReused() throws {
        let data = try Dataset.synthetic(.gaussianBlobs(classes: 3, dimensions: 5), trainCount: 60, testCount: 0)
        var batches = try MiniBatches(sampleCount: 60, batchSize: 8, dropLast: true, rng: RandomStream(seed: 5))
        var buffer = Samples.empty
        buffer.replace(with: data.train, rows: batches.next())
        let features = buffer.features.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        let labels = buffer.labels.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
        for _ in 0..<30 {
            let rows = batches.next()
            buffer.replace(with: data.train, rows: rows)
            #expect(buffer.features.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } == features)
            #expect(buffer.labels.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } == labels)
            for (k, i) in rows.enumerated() {
                #expect(buffer.labels[k] == data.train.labels[i])
                #expect(buffer.features[k * 5..<(k + 1) * 5] == data.train.features[i * 5..<(i + 1) * 5])
            }
        }
    }

    @Test("a checkpointed iterator resumes the identical order")
    func resumes() throws {
        var batches = try MiniBatches(sampleCount: 9, batchSize: 2, rng: RandomStream(seed: 6))
        for _ in 0..<7 { _ = batches.next() }
        var resumed = try JSONDecoder().decode(MiniBatches.self, from: JSONEncoder().encode(batches))
        for _ in 0..<20 { #expect(Array(batches.next()) == Array(resumed.next())) }
    }
}
