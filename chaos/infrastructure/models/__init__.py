"""Serve-time model adapters: the versioned model store read and published to, its storage (a local
directory or Cloud Storage), signed manifests and the compiled scorer. Training code is in training/."""
