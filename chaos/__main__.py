"""`python -m chaos` is the same command line as the `chaos` console script."""

from chaos.entrypoints.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
