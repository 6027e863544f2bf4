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

/** Returns the <iframe> snippet that embeds the graph of `query`. */
export function embedSnippet(base, query, title) {
  const escape = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<iframe src="${escape(`${base}/embed?${query}`)}" title="${escape(`chainrule: ${title}`)}" ` +
    `width="960" height="540" style="border:0" loading="lazy"></iframe>`;
}

/** Points the download links at the images of `query`. */
export function updateDownloads(query) {
  for (const format of ["svg", "png", "pdf", "tex"]) {
    document.getElementById(`download-${format}`).href = `/graph.${format}?${query}`;
  }
  for (const format of ["pdf", "zip"]) {
    document.getElementById(`download-slides-${format}`).href = `/slides.${format}?${query}`;
  }
}

/** Wires the share buttons; `current()` returns {base, query, expr} of the state on screen. */
export function wireShare(current, toast) {
  const qrDialog = document.getElementById("qr-dialog");
  const embedDialog = document.getElementById("embed-dialog");
  document.getElementById("copy-link").addEventListener("click", async () => {
    const { base, query } = current();
    await copy(`${base}/?${query}`);
    toast("Link copied: anyone who opens it sees this graph.");
  });
  document.getElementById("show-qr").addEventListener("click", () => {
    const { base, query } = current();
    document.getElementById("qr-image").src = `/qr.svg?${query}`;
    document.getElementById("qr-link").value = `${base}/?${query}`;
    qrDialog.showModal();
  });
  document.getElementById("show-embed").addEventListener("click", () => {
    const { base, query, expr } = current();
    document.getElementById("embed-snippet").value = embedSnippet(base, query, expr);
    embedDialog.showModal();
  });
  document.getElementById("copy-embed").addEventListener("click", async () => {
    await copy(document.getElementById("embed-snippet").value);
    toast("Snippet copied.");
  });
}
