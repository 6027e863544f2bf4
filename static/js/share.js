// Sharing: copy link, QR code, iframe snippet, and the download links, all for the current query.

/** Copies `text` to the clipboard (falling back to a selection where the Clipboard API is not allowed); returns a promise. */
export async function copy(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const field = document.createElement("textarea");
  field.value = text;
  document.body.append(field);
  field.select();
  document.execCommand("copy");
  field.remove();
}

/** Returns `query` as an exercise: mode=practice, from the start (no step). */
export function practiceQuery(query) {
  const params = new URLSearchParams(query);
  params.delete("step");
  params.set("mode", "practice");
  return params.toString();
}

/** Returns the <iframe> snippet that embeds the graph of `query`. */
export function embedSnippet(base, query, title) {
  const escape = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<iframe src="${escape(`${base}/embed?${query}`)}" title="${escape(`chainrule: ${title}`)}" ` +
    `width="960" height="540" style="border:0" loading="lazy"></iframe>`;
}

/** Returns whether `host` names this computer only (localhost, 127.x.x.x, ::1): a phone cannot open it. */
export function isLoopback(host) {
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === "[::1]" || host === "::1";
}

/** Points the download links at the images of `query`. */
export function updateDownloads(query) {
  for (const format of ["svg", "png", "pdf", "tex", "html"]) {
    document.getElementById(`download-${format}`).href = `/graph.${format}?${query}`;
  }
  for (const format of ["pdf", "zip"]) {
    document.getElementById(`download-slides-${format}`).href = `/slides.${format}?${query}`;
  }
}

/** Shows `message` in the export status line: kind "busy" (with a spinner), "error" (stays until dismissed) or
 * "done" (goes after a moment); null hides it. */
function exportStatus(message, kind = "done") {
  const status = document.getElementById("export-status");
  clearTimeout(status.timer);
  status.hidden = message === null;
  if (message === null) return;
  status.className = `toast export-status ${kind}`;
  status.setAttribute("role", kind === "error" ? "alert" : "status");
  status.querySelector(".message").textContent = message;
  status.querySelector(".close").hidden = kind !== "error";
  if (kind === "done") status.timer = setTimeout(() => (status.hidden = true), 2500);
}

/** Returns the plain-words reason of a refused download: the server's JSON detail, or the HTTP status. */
async function refusal(response) {
  try {
    const body = await response.json();
    if (body && typeof body.detail === "string") return body.detail;
  } catch {
    // not JSON: a proxy's page, say
  }
  return `the server answered ${response.status} ${response.statusText}`.trim();
}

/** Saves what `link` points at: fetched first, so the page can say what it is making and why it failed, then handed
 * to the browser as a file through a blob URL. `steps` is the number of lecture steps (slides) of the graph. */
async function download(link, steps) {
  const name = link.getAttribute("download");
  const slides = link.hasAttribute("data-slides");
  exportStatus(slides ? `Making ${steps} slide${steps === 1 ? "" : "s"}…` : `Making ${link.dataset.what}…`, "busy");
  let response;
  try {
    response = await fetch(link.href);
  } catch {
    exportStatus(`${link.textContent} failed: the server did not answer; is chainrule still running?`, "error");
    return;
  }
  if (!response.ok) {
    exportStatus(`${link.textContent} failed: ${await refusal(response)}`, "error");
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const save = document.createElement("a");
  save.href = url;
  save.download = name;
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  exportStatus(`Saved ${name}`);
}

/** Wires the share buttons; `current()` returns {base, query, expr, steps} of the state on screen. */
export function wireShare(current, toast) {
  const downloads = document.getElementById("downloads");
  downloads.querySelector(".menu").addEventListener("click", (event) => {
    const link = event.target.closest("a[download]");
    if (!link) return;
    event.preventDefault();
    downloads.open = false;
    download(link, current().steps);
  });
  // The menu closes on a click elsewhere or on Esc, as menus do.
  document.addEventListener("click", (event) => {
    if (downloads.open && !downloads.contains(event.target)) downloads.open = false;
  });
  downloads.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && downloads.open) {
      downloads.open = false;
      downloads.querySelector("summary").focus();
      event.stopPropagation();
    }
  });
  document.querySelector("#export-status .close").addEventListener("click", () => exportStatus(null));
  const qrDialog = document.getElementById("qr-dialog");
  const embedDialog = document.getElementById("embed-dialog");
  document.getElementById("copy-link").addEventListener("click", async () => {
    const { base, query } = current();
    await copy(`${base}/?${query}`);
    toast("Link copied: anyone who opens it sees this graph.");
  });
  document.getElementById("practice-link").addEventListener("click", async () => {
    const { base, query } = current();
    await copy(`${base}/?${practiceQuery(query)}`);
    toast("Practice link copied: whoever opens it works out every number before the graph shows it.");
  });
  document.getElementById("show-qr").addEventListener("click", () => {
    const { base, query } = current();
    document.getElementById("qr-image").src = `/qr.svg?${query}`;
    document.getElementById("qr-link").value = `${base}/?${query}`;
    const host = new URL(base, location.href).hostname;
    document.getElementById("qr-warning").hidden = !isLoopback(host);
    document.getElementById("qr-host").textContent = host;
    const address = new URL(base, location.href);
    document.getElementById("qr-example").textContent = `${address.protocol}//192.168.1.20${address.port ? `:${address.port}` : ""}`;
    qrDialog.showModal();
  });
  document.getElementById("show-embed").addEventListener("click", () => {
    const { base, query, expr } = current();
    document.getElementById("embed-snippet").value = embedSnippet(base, query, expr);
    document.getElementById("embed-practice-snippet").value = embedSnippet(base, practiceQuery(query), `practise ${expr}`);
    embedDialog.showModal();
  });
  document.getElementById("copy-embed-practice").addEventListener("click", async () => {
    await copy(document.getElementById("embed-practice-snippet").value);
    toast("Practice snippet copied.");
  });
  document.getElementById("copy-embed").addEventListener("click", async () => {
    await copy(document.getElementById("embed-snippet").value);
    toast("Snippet copied.");
  });
}
