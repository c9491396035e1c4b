@_exported import WeightLabCore
@_exported import WeightLabEvolutionary
@_exported import WeightLabGradient
@_exported import WeightLabHybrid
