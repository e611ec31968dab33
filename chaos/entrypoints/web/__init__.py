"""The HTTP API: app factory (app_factory.create_app), blueprints, request schemas, problem+json
errors, JSON logging. Importing the package imports none of them."""
