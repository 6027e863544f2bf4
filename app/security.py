"""Security headers on every response: a strict CSP, no sniffing, no referrer leaks, framing only where meant."""

from fastapi import FastAPI, Request

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'")
IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'"
# Slides and other sites may frame these; everything else refuses to be framed (clickjacking).
EMBEDDABLE = ("/embed", "/graph.", "/slides.", "/qr.svg")
IMAGES = ("/graph.", "/slides.", "/qr.svg")


def headers_for(path: str) -> dict[str, str]:
    """Return the security headers for a response to this path."""
    csp = IMAGE_CSP if path.startswith(IMAGES) else PAGE_CSP
    headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    if path.startswith(EMBEDDABLE):
        headers["Content-Security-Policy"] = csp + "; frame-ancestors *"
    else:
        headers["Content-Security-Policy"] = csp + "; frame-ancestors 'none'"
        headers["X-Frame-Options"] = "DENY"
    return headers


def install(app: FastAPI) -> None:
    """Add the middleware that sets headers_for(path) on every response."""

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(headers_for(request.url.path))
        return response
