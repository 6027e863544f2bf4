"""Settings: the one table of what an operator may change, read from the environment."""

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"


@dataclass(frozen=True)
class Settings:
    """The server's settings; each field names the environment variable that sets it."""

    public_url: str = ""  # CHAINRULE_PUBLIC_URL: the address students use, for links and QR codes
    max_query_chars: int = 100_000  # CHAINRULE_MAX_QUERY_CHARS: longest query string accepted
    max_header_bytes: int = 16_384  # CHAINRULE_MAX_HEADER_BYTES: all request headers together, names and values
    cache_entries: int = 512  # CHAINRULE_CACHE_ENTRIES: answers each worker keeps by canonical query (LRU)
    cache_max_age: int = 3600  # CHAINRULE_CACHE_MAX_AGE: seconds browsers and proxies may reuse an answer

    @classmethod
    def from_env(cls) -> "Settings":
        """Return the settings, each taken from its CHAINRULE_* variable when set."""
        return cls(
            public_url=os.environ.get("CHAINRULE_PUBLIC_URL", cls.public_url).rstrip("/"),
            max_query_chars=int(os.environ.get("CHAINRULE_MAX_QUERY_CHARS", cls.max_query_chars)),
            max_header_bytes=int(os.environ.get("CHAINRULE_MAX_HEADER_BYTES", cls.max_header_bytes)),
            cache_entries=int(os.environ.get("CHAINRULE_CACHE_ENTRIES", cls.cache_entries)),
            cache_max_age=int(os.environ.get("CHAINRULE_CACHE_MAX_AGE", cls.cache_max_age)),
        )


@lru_cache
def get_settings() -> Settings:
    """Return the process's settings (tests override this dependency)."""
    return Settings.from_env()
