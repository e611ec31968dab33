"""The HTTP API: app factory, blueprints, request schemas, problem+json errors, JSON logging."""

from chaos.application.web.app_factory import create_app

__all__ = ["create_app"]
