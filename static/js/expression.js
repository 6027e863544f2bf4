// The expression box's error line: the message, and the typed text with a caret under the offending character.

const WINDOW = 36; // characters shown either side of the caret, so long expressions stay on one line

/** Shows `error` ({detail, offset}) for `expr` in `box`; null hides it. */
export function showError(box, expr, error) {
  box.hidden = error === null;
  document.getElementById("expr").setAttribute("aria-invalid", String(error !== null));
  if (error === null) return;
  box.querySelector(".message").textContent = error.detail;
  const snippet = box.querySelector(".snippet");
  const caret = box.querySelector(".caret-line");
  const offset = error.offset;
  snippet.hidden = caret.hidden = offset === null || offset === undefined;
  if (snippet.hidden) return;
  const start = Math.max(0, offset - WINDOW);
  const end = Math.min(expr.length, offset + WINDOW);
  const before = (start > 0 ? "…" : "") + expr.slice(start, offset);
  snippet.textContent = before + expr.slice(offset, end) + (end < expr.length ? "…" : "");
  caret.textContent = " ".repeat(before.length) + "^";
}
