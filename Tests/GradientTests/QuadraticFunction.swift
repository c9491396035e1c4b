import Testing
@testable import WeightLabGradient
