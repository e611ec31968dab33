"""PostgreSQL adapters: engine, embedded server, schema, repositories."""
