import WeightLab
