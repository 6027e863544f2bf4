"""The `chainrule` command: `chainrule serve` starts the web app, `chainrule render` draws a graph to a file."""

import argparse
import os
import sys
import threading
import webbrowser
from pathlib import Path

from chainrule import engine
from chainrule.engine.options import OPTIONS, read_options
from chainrule.engine.render import render
from chainrule.engine.slides import steps_gif, steps_pdf, steps_zip, to_tikz

from .config import get_settings
from .http import GuardedH11
from .offline import offline_html
from .query import GraphQuery

FORMATS = ("svg", "png", "pdf", "dot", "tex", "html", "zip", "gif")
STEP_FORMATS = {"pdf": steps_pdf, "zip": steps_zip, "gif": steps_gif, "tex": lambda *a: to_tikz(*a, beamer=True)}


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of both subcommands."""
    top = argparse.ArgumentParser(prog="chainrule", description="See backpropagation on a computational graph.")
    commands = top.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for a classroom)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--open", action="store_true", help="open the page in a browser")
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes behind the port (default 1: one cache and one compute pool for all)")
    serve.add_argument("--compute-workers", type=int, metavar="N",
                       help="compute processes per server process (default: one per core; CHAINRULE_COMPUTE_WORKERS)")

    draw = commands.add_parser("render", help="draw the graph of EXPR to a file, without a server")
    draw.add_argument("expr")
    draw.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a variable's value; repeat")
    draw.add_argument("-o", "--output", required=True,
                      help="file to write: .svg, .png, .pdf, .dot, .tex (TikZ) or .html (one file that works offline: "
                           "hover, lecture steps, light/dark); with --steps .pdf, .zip, .gif or .tex (- for stdout)")
    draw.add_argument("--format", choices=FORMATS, help="format, when the file name does not say")
    draw.add_argument("--steps", action="store_true",
                      help="lecture slides: every step, as a 16:9 PDF page each (.pdf), a PNG each (.zip), an animated "
                           "GIF (.gif) or a Beamer frame with a step per overlay (.tex)")
    draw.add_argument("--base", default="", metavar="URL",
                      help="with .html: the chainrule server its 'open in chainrule to edit' link opens")
    for name, option in OPTIONS.items():   # every option of the page and the URL, as a flag
        flag = "--" + name
        if option.kind == "boolean":
            draw.add_argument(flag, action="store_true", help=option.help)
        else:
            draw.add_argument(flag, choices=option.choices or None, default=None, help=option.help,
                              metavar=None if option.choices else name.upper())
    return top


def serve(args: argparse.Namespace) -> int:
    """Run uvicorn on app.main:app until interrupted; return its exit status."""
    import uvicorn

    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}/"
    print(f"chainrule: {url}", file=sys.stderr)
    if args.open:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    if args.compute_workers is not None:
        os.environ["CHAINRULE_COMPUTE_WORKERS"] = str(args.compute_workers)
    settings = get_settings()
    uvicorn.run("chainrule.app.main:app", host=args.host, port=args.port, workers=args.workers, http=GuardedH11,
                h11_max_incomplete_event_size=http_head_bytes(),
                timeout_graceful_shutdown=settings.shutdown_timeout_s)
    return 0


def http_head_bytes() -> int:
    """Return the most bytes of request line and headers the HTTP server reads: the app's budget, plus room."""
    settings = get_settings()
    return settings.max_query_chars + settings.max_header_bytes + 1024


def render_file(args: argparse.Namespace) -> int:
    """Write the drawing of args.expr to args.output; return 0, or 2 with the message on stderr."""
    fmt = args.format or Path(args.output).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        print(f"chainrule: say the format with --format or a file name ending in {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    if args.steps and fmt not in STEP_FORMATS or fmt in ("zip", "gif") and not args.steps:
        print("chainrule: --steps writes every step to a .pdf (a page each), a .zip (a PNG each), a .gif or a "
              ".tex (Beamer overlays), e.g. --steps -o slides.pdf", file=sys.stderr)
        return 2
    try:
        values = dict(pair.split("=", 1) for pair in args.set if "=" in pair)
        if len(values) != len(args.set):
            raise engine.ChainruleError("--set takes NAME=VALUE, e.g. --set x=-2")
        given = {name: getattr(args, name) for name in OPTIONS if getattr(args, name) not in (None, False)}
        options = read_options({name: str(value).lower() if value is True else str(value)
                                for name, value in given.items()})
        query = GraphQuery(args.expr, values, **options)
        lesson = query.lesson()
        view = query.view(lesson)
        if args.steps:
            data = STEP_FORMATS[fmt](lesson, view)
        elif fmt == "tex":
            data = to_tikz(lesson, view)
        elif fmt == "html":
            data = offline_html(lesson, view, query=query.query_string(), base=args.base.rstrip("/"), title=args.expr)
        else:
            data = render(lesson, view, fmt)
        data = data.encode() if isinstance(data, str) else data
    except engine.ChainruleError as error:
        where = f" (at character {error.offset})" if error.offset is not None else ""
        print(f"chainrule: {error.message}{where}", file=sys.stderr)
        return 2
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(args.output).write_bytes(data)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    return serve(args) if args.command == "serve" else render_file(args)


if __name__ == "__main__":
    sys.exit(main())
