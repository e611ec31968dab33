"""Training adapters (scikit-learn, pandas: the `train` extra): the training set, the pipeline, its
evaluation, backtest, comparison with the champion, report and packaging. Serving imports none of it."""
