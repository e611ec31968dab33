"""`python -m chaos` is the same command line as the `chaos` console script."""

from chaos.application.cli import main

raise SystemExit(main())
