"""The ways in: the HTTP app (web/, wsgi.py, the gunicorn settings) and the command line (cli/); they
parse, call a use case and shape its answer."""
