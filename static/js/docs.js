// Draws /docs from /openapi.json with the vendored Swagger UI (a file, not inline: the CSP forbids inline script).
window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
