"""Model adapters: the training frame, the scikit-learn pipelines and the versioned artifact store."""
