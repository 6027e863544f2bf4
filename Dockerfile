# chainrule: the web app on port 8000. Mirrors .ci/run: Debian packages (Graphviz, librsvg, fonts), then pip install.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends graphviz librsvg2-bin fonts-dejavu-core fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/chainrule
COPY pyproject.toml README.md ./
COPY chainrule chainrule
COPY engine engine
COPY app app
COPY templates templates
COPY static static
RUN pip install .  # the wheel: engine, app, templates and static all inside the one package chainrule

RUN useradd --system --uid 10001 --no-create-home chainrule
USER chainrule

EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"
# chainrule serve: one server process (one cache for the class) with its guards against slow clients, and a
# compute pool of a heavy and a light worker per core (SECURITY.md). Set CHAINRULE_PUBLIC_URL to the address
# students use: links and QR codes are built from it (uvicorn reads X-Forwarded-* from FORWARDED_ALLOW_IPS).
CMD ["chainrule", "serve", "--host", "0.0.0.0", "--port", "8000"]
